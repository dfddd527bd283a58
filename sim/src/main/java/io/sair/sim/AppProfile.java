package io.sair.sim;

import io.sair.core.model.PipelineSpec;
import io.sair.sim.plant.StageModel;
import io.sair.sim.workload.RateShape;
import io.sair.sim.workload.WorkDist;
import java.util.List;

/**
 * One simulated application: the pipeline spec SAIR controls, how each stage behaves, what a request
 * carries, and the app's three workload patterns around its mean rate. See {@link AppProfiles}.
 *
 * @param u request size units (pixels factor, text length factor, context tokens, frames)
 * @param g generated tokens (text generation only; otherwise {@link WorkDist#NONE})
 * @param traceWork a trace's work columns (ContextTokens, GeneratedTokens) map onto u and g
 */
public record AppProfile(String name, String title, PipelineSpec spec, List<StageModel> models, WorkDist u, WorkDist g,
                         double meanRate, RateShape poisson, RateShape ramp, RateShape burst, boolean traceWork) {

    public RateShape pattern(String pattern) {
        return switch (pattern) {
            case "poisson" -> poisson;
            case "ramp" -> ramp;
            case "burst" -> burst;
            default -> throw new IllegalArgumentException("unknown pattern '" + pattern + "' (poisson, ramp, burst, flash, regime, diurnal, trace)");
        };
    }
}
