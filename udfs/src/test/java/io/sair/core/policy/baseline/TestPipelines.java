package io.sair.core.policy.baseline;

import io.sair.core.model.Allocation;
import io.sair.core.model.Bottleneck;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.PolicyInput;
import java.util.List;

/** Builds specs, stage windows, contexts and policy inputs for the policy tests. */
public final class TestPipelines {

    public static final long WINDOW_MS = 30_000;

    private TestPipelines() {
    }

    /** preprocessing (cpu) -> inference (gpu) -> postprocessing (cpu), SLA 500 ms, default limits. */
    public static PipelineSpec threeStages() {
        return spec(500, StageSpec.of("pre", StageKind.CPU), StageSpec.of("inf", StageKind.GPU),
                StageSpec.of("post", StageKind.CPU));
    }

    public static PipelineSpec spec(double slaMs, StageSpec... stages) {
        return new PipelineSpec(null, "pipe", List.of(stages), slaMs, null, null, null);
    }

    public static StageSpec stage(String name, StageKind kind, StageLimits limits, Allocation initial) {
        return new StageSpec(name, kind, null, limits, null, initial);
    }

    public static Stage window(String name, StageKind kind) {
        return new Stage(name, kind);
    }

    public static PipelineContext context(long windowEnd, double p99Ms, double slaMs, StageWindow... stages) {
        return new PipelineContext("pipe", windowEnd, List.of(stages), List.of(), p99Ms, slaMs, 10.0, 1.0, 1.0, 10.0);
    }

    public static PolicyInput input(PipelineContext ctx, PipelineSpec spec) {
        return new PolicyInput(ctx, spec, List.of(), new double[0], Bottleneck.NONE, List.of(), ctx.windowEnd());
    }

    /** A fluent StageWindow: 1 replica, 1000 m, 1024 MB, rate 1, everything idle unless set. */
    public static final class Stage {
        private final String name;
        private final StageKind kind;
        private Allocation allocation = new Allocation(1, 1000, 1024, 1.0);
        private long queue;
        private long queueGrowth;
        private double cpuUtil = 0.5;
        private double memUtil = 0.5;
        private double gpuUtil = 0.5;
        private double p99Ms = 50;
        private long arrivals = 300;
        private long completions = 300;
        private long spanMs = WINDOW_MS;

        private Stage(String name, StageKind kind) {
            this.name = name;
            this.kind = kind;
        }

        public Stage replicas(int r) {
            allocation = allocation.withReplicas(r);
            return this;
        }

        public Stage allocation(Allocation a) {
            allocation = a;
            return this;
        }

        public Stage cpuUtil(double u) {
            cpuUtil = u;
            return this;
        }

        public Stage memUtil(double u) {
            memUtil = u;
            return this;
        }

        public Stage gpuUtil(double u) {
            gpuUtil = u;
            return this;
        }

        public Stage p99(double ms) {
            p99Ms = ms;
            return this;
        }

        public Stage queue(long depth, long growth) {
            queue = depth;
            queueGrowth = growth;
            return this;
        }

        /** Requests that arrived and completed in the window. */
        public Stage traffic(long arrived, long completed) {
            arrivals = arrived;
            completions = completed;
            return this;
        }

        /** The window's length (30 s unless set; the request-driven baselines run on 5 s reports). */
        public Stage span(long ms) {
            spanMs = ms;
            return this;
        }

        public StageWindow at(long windowEnd) {
            return new StageWindow("pipe", name, kind, windowEnd - spanMs, windowEnd, 6, allocation, arrivals, completions,
                    queue,
                    queueGrowth, cpuUtil, memUtil, gpuUtil, p99Ms / 2, p99Ms, Double.NaN, 0);
        }
    }
}
