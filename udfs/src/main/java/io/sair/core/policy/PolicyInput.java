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
 * @param peakArrivalRate the recent peak arrival rate the pipeline must stay ready for (0: none known)
 * @param peakWithinDelay the part of it that can arrive before a replica ordered now serves: the peak bounded by
 *     how far arrivals rose within a scale-up delay lately ({@link LoadRise#peakToKeep})
 */
public record PolicyInput(PipelineContext context, PipelineSpec spec, List<Experience> episodes, double[] features,
                          Bottleneck bottleneck, List<String> saturated, long nowMs, double peakArrivalRate,
                          double peakWithinDelay) {

    public PolicyInput {
        episodes = List.copyOf(episodes);
        saturated = List.copyOf(saturated);
    }

    /** With a remembered peak and no rise known (tests). */
    public PolicyInput(PipelineContext context, PipelineSpec spec, List<Experience> episodes, double[] features,
                       Bottleneck bottleneck, List<String> saturated, long nowMs, double peakArrivalRate) {
        this(context, spec, episodes, features, bottleneck, saturated, nowMs, peakArrivalRate, peakArrivalRate);
    }

    /** What {@link Headroom#allowsShrink} keeps a stage ready for. */
    public Headroom.Peaks peaks() {
        return new Headroom.Peaks(peakArrivalRate, peakWithinDelay);
    }

    /** Without a remembered peak (baselines, tests). */
    public PolicyInput(PipelineContext context, PipelineSpec spec, List<Experience> episodes, double[] features,
                       Bottleneck bottleneck, List<String> saturated, long nowMs) {
        this(context, spec, episodes, features, bottleneck, saturated, nowMs, 0.0);
    }
}
