package io.sair.job;

import io.sair.core.model.Allocation;
import io.sair.core.model.Json;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import io.sair.core.time.EventWindows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic stand-in pipeline for job tests that need no queueing model: latency falls with
 * the preprocessing replicas, utilisation follows load over capacity. Reports every 5 s per stage.
 */
final class ToyPlant {

    static final long PERIOD_MS = 5_000;
    static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    final PipelineSpec spec;
    final Map<String, Allocation> alloc = new HashMap<>();

    ToyPlant(String pipeline) {
        this.spec = new PipelineSpec(null, pipeline, List.of(StageSpec.of("preprocess", StageKind.CPU),
                StageSpec.of("inference", StageKind.GPU), StageSpec.of("postprocess", StageKind.CPU)), 200.0, null,
                null, null);
        spec.stages().forEach(s -> alloc.put(s.name(), new Allocation(1, 1000, 1024, 1.0)));
    }

    /** Where this pipeline's first window starts at or after {@link #START}: its offset on the job's default grid. */
    long windowStart() {
        return START + EventWindows.offset(spec.name(), 30_000, SairOptions.WINDOW_STAGGER.defaultValue());
    }

    byte[] specJson() {
        return Json.write(spec);
    }

    /** The reports of every stage at one instant. */
    List<StageMetrics> reportsAt(long ts) {
        List<StageMetrics> out = new ArrayList<>();
        int pre = alloc.get("preprocess").replicas();
        double p99 = 600.0 / pre + 40;
        for (int i = 0; i < spec.stages().size(); i++) {
            StageSpec s = spec.stages().get(i);
            Allocation a = alloc.get(s.name());
            double util = s.name().equals("preprocess") ? Math.min(1.0, 1.8 / pre) : 0.4;
            boolean last = i == spec.stages().size() - 1;
            out.add(new StageMetrics(1, spec.name(), s.name(), s.name() + "-0", ts, s.kind(), a.replicas(),
                    a.cpuMillis(), a.memoryMb(), s.kind() == StageKind.GPU ? a.rate() : null, 500L, 500L,
                    s.name().equals("preprocess") ? (long) (20 / pre) : 0L, s.kind() == StageKind.CPU ? util : 0.3, 0.3,
                    s.kind() == StageKind.GPU ? util : null, List.of(p99 / 3, p99 / 4), null,
                    last ? List.of(p99 * 0.5, p99) : null, null));
        }
        return out;
    }

    void apply(ScalingDecision d) {
        for (StageTarget t : d.stages()) {
            alloc.put(t.stage(), t.target());
        }
    }
}
