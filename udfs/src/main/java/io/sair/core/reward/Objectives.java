package io.sair.core.reward;

import io.sair.core.cost.CostModel;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.PipelineContext;

/** Normalises a window to the point (l, c) in [0,1]^2 on which Pareto dominance is judged. */
public final class Objectives {

    /** Latency is normalised against this multiple of the SLA: l = min(1, p99 / (4 x SLA)). */
    public static final double LATENCY_SPAN = 4.0;

    private Objectives() {
    }

    public static double latency(double p99Ms, double slaMs) {
        if (!(p99Ms >= 0) || !(slaMs > 0)) {
            return 1.0;
        }
        return Math.min(1.0, p99Ms / (LATENCY_SPAN * slaMs));
    }

    public static double cost(double costPerHour, double maxCostPerHour) {
        if (!(costPerHour >= 0) || !(maxCostPerHour > 0)) {
            return 1.0;
        }
        return Math.min(1.0, costPerHour / maxCostPerHour);
    }

    /** The window's point, its cost the one the pipeline is billed by ({@link CostModel#optimised}). */
    public static ParetoPoint of(PipelineContext ctx, PipelineSpec spec) {
        return new ParetoPoint(latency(ctx.p99Ms(), ctx.slaMs()),
                cost(CostModel.optimised(ctx, spec), ctx.maxCostPerHour()));
    }
}
