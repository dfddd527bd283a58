package io.sair.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.SairController;
import io.sair.core.ControllerState;
import io.sair.core.model.Json;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.window.ContextAssembler;
import io.sair.core.window.MetricsCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report (Long.MAX_VALUE arrivals and completions, cpuUtil 10) through the job's own
 * checks and fold: it is refused with a reason naming the field, and the window and the decision are
 * those of the same run without it.
 */
class AbsurdReportTest {

    static final long T0 = 1_767_225_600_000L;
    static final PipelineSpec SPEC = new PipelineSpec(null, "imgcls", List.of(StageSpec.of("preprocess", StageKind.CPU),
            StageSpec.of("inference", StageKind.GPU), StageSpec.of("postprocess", StageKind.CPU)), 200.0, null, null, null);

    static StageMetrics report(String stage, long ts, long arrivals, double util) {
        StageKind kind = SPEC.stage(stage).orElseThrow().kind();
        boolean gpu = kind == StageKind.GPU;
        boolean last = stage.equals("postprocess");
        return new StageMetrics(1, "imgcls", stage, stage + "-0", ts, kind, 2, 1000, 1024, gpu ? 1.0 : null, arrivals,
                arrivals, 5L, gpu ? null : util, 0.4, gpu ? util : null, List.of(40.0, 60.0), null,
                last ? List.of(120.0, 150.0) : null, null);
    }

    /** What the job does with the records: parse and check, then check against the spec; the rest is dead. */
    static List<StageMetrics> admitted(List<byte[]> records, List<String> deadLetters) {
        List<StageMetrics> ok = new ArrayList<>();
        long offset = 0;
        for (byte[] value : records) {
            MetricEnvelope e = Parsing.metrics(new RawRecord("sair.metrics", 0, offset++, T0, null, value), 65_536);
            String reason = e.ok() ? MetricsCheck.againstSpec(e.metrics(), SPEC).orElse(null) : e.error();
            if (reason == null) {
                ok.add(e.metrics());
            } else {
                deadLetters.add(reason);
            }
        }
        return ok;
    }

    static List<byte[]> window(boolean withAbsurd) {
        List<byte[]> out = new ArrayList<>();
        for (int k = 1; k <= 6; k++) {
            long ts = T0 + 5_000L * k;
            for (StageSpec s : SPEC.stages()) {
                out.add(Json.write(report(s.name(), ts, 300, 0.55)));
            }
            if (withAbsurd && k == 3) {
                String json = new String(Json.write(report("preprocess", ts, 1, 0.55)), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("\"arrivals\":1,", "\"arrivals\":" + Long.MAX_VALUE + ",")
                        .replace("\"completions\":1,", "\"completions\":" + Long.MAX_VALUE + ",")
                        .replace("\"cpuUtil\":0.55", "\"cpuUtil\":10");
                out.add(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void theAbsurdReportIsDeadLetteredAndDecisionsAreThoseWithoutIt() {
        List<String> dead = new ArrayList<>();
        List<StageMetrics> with = admitted(window(true), dead);
        List<StageMetrics> without = admitted(window(false), new ArrayList<>());
        assertThat(dead).singleElement().asString().startsWith("out of bounds: cpuUtil=10.0");

        PipelineContext a = ContextAssembler.fold(SPEC, T0, T0 + 30_000, with);
        PipelineContext b = ContextAssembler.fold(SPEC, T0, T0 + 30_000, without);
        assertThat(a).isEqualTo(b);
        ScalingDecision da = SairController.defaults().step(ControllerState.initial(0.15), a, SPEC).orElseThrow().decision();
        ScalingDecision db = SairController.defaults().step(ControllerState.initial(0.15), b, SPEC).orElseThrow().decision();
        assertThat(da.stages()).isEqualTo(db.stages());
    }
}
