package io.sair.core;

import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.List;

/** Test values: a three-stage pipeline (cpu -> gpu -> cpu) and contexts over it. */
public final class Fixtures {

    public static final long WINDOW_MS = 30_000;

    private Fixtures() {
    }

    public static PipelineSpec spec() {
        return new PipelineSpec(null, "imgcls", List.of(
                StageSpec.of("preprocess", StageKind.CPU),
                StageSpec.of("inference", StageKind.GPU),
                StageSpec.of("postprocess", StageKind.CPU)), 200.0, null, null, null);
    }

    /** The same pipeline with its GPUs billed by share ({@code prices.gpuShared}): throttling a GPU then saves money. */
    public static PipelineSpec sharedGpus(PipelineSpec spec) {
        return new PipelineSpec(spec.v(), spec.name(), spec.stages(), spec.slaP99Ms(),
                new io.sair.core.model.Prices(null, null, null, true), spec.policy(), spec.mode());
    }

    /** A stage window: util in [0,1], queue depth and growth, allocation. */
    public static StageWindow stage(String name, StageKind kind, long windowEnd, Allocation a, double util, long queue,
                                    long growth) {
        double cpuUtil = kind == StageKind.CPU ? util : 0.2;
        double gpuUtil = kind == StageKind.GPU ? util : 0.0;
        return new StageWindow("imgcls", name, kind, windowEnd - WINDOW_MS, windowEnd, 6, a, 3000, 3000, queue, growth,
                cpuUtil, 0.3, gpuUtil, 20, 50, Double.NaN, 0);
    }

    public static Allocation alloc(int replicas) {
        return new Allocation(replicas, 1000, 1024, 1.0);
    }

    /** A context with the given per-stage allocations and utilisations, pricing it with the spec's prices. */
    public static PipelineContext context(PipelineSpec spec, long windowEnd, double p99Ms, List<Allocation> allocs,
                                          double[] utils) {
        List<StageWindow> stages = new ArrayList<>();
        for (int i = 0; i < spec.stages().size(); i++) {
            StageSpec s = spec.stages().get(i);
            stages.add(stage(s.name(), s.kind(), windowEnd, allocs.get(i), utils[i], 0, 0));
        }
        return new PipelineContext(spec.name(), windowEnd, stages, List.of(), p99Ms, spec.slaP99Ms(), 100.0,
                CostModel.billable(spec, allocs), CostModel.effective(spec, allocs), CostModel.maxEffective(spec));
    }

    public static PipelineContext context(long windowEnd, double p99Ms) {
        PipelineSpec spec = spec();
        return context(spec, windowEnd, p99Ms, List.of(alloc(2), alloc(1), alloc(1)), new double[] {0.5, 0.5, 0.3});
    }
}
