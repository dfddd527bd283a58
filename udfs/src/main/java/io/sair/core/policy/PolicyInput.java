package io.sair.core.policy;

import io.sair.core.model.Bottleneck;
import io.sair.core.model.Experience;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import java.util.List;

/**
 * What a policy sees in one round.
 *
 * @param episodes retrieved episodes in curriculum order (empty for baselines)
 * @param features the context's feature vector (the similarity space of the episodes)
 * @param saturated the stages the detector found saturated, in pipeline order
 * @param peaks the loads a shrinking stage must stay ready for ({@link Headroom#allowsShrink}; 0: none known)
 * @param capacity what each stage was seen to complete per busy second per core or GPU ({@link StageCapacity})
 * @param previousP99Ms the pipeline's p99 in the window of the last decision (NaN: none known)
 */
public record PolicyInput(PipelineContext context, PipelineSpec spec, List<Experience> episodes, double[] features,
                          Bottleneck bottleneck, List<String> saturated, long nowMs, Headroom.Peaks peaks,
                          StageCapacity capacity, double previousP99Ms) {

    public PolicyInput {
        episodes = List.copyOf(episodes);
        saturated = List.copyOf(saturated);
        capacity = capacity == null ? StageCapacity.none() : capacity;
    }

    /** Without the last decision's window (tests). */
    public PolicyInput(PipelineContext context, PipelineSpec spec, List<Experience> episodes, double[] features,
                       Bottleneck bottleneck, List<String> saturated, long nowMs, Headroom.Peaks peaks,
                       StageCapacity capacity) {
        this(context, spec, episodes, features, bottleneck, saturated, nowMs, peaks, capacity, Double.NaN);
    }

    /** Nothing learned of the stages' rates (baselines, tests). */
    public PolicyInput(PipelineContext context, PipelineSpec spec, List<Experience> episodes, double[] features,
                       Bottleneck bottleneck, List<String> saturated, long nowMs, Headroom.Peaks peaks) {
        this(context, spec, episodes, features, bottleneck, saturated, nowMs, peaks, StageCapacity.none());
    }

    /** With a remembered peak and no rise known (tests): both loads are the peak. */
    public PolicyInput(PipelineContext context, PipelineSpec spec, List<Experience> episodes, double[] features,
                       Bottleneck bottleneck, List<String> saturated, long nowMs, double peakArrivalRate) {
        this(context, spec, episodes, features, bottleneck, saturated, nowMs,
                new Headroom.Peaks(peakArrivalRate, peakArrivalRate));
    }

    /** Without a remembered peak (baselines, tests). */
    public PolicyInput(PipelineContext context, PipelineSpec spec, List<Experience> episodes, double[] features,
                       Bottleneck bottleneck, List<String> saturated, long nowMs) {
        this(context, spec, episodes, features, bottleneck, saturated, nowMs, 0.0);
    }
}
