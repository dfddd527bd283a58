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
 */
public record PolicyInput(PipelineContext context, PipelineSpec spec, List<Experience> episodes, double[] features,
                          Bottleneck bottleneck, List<String> saturated, long nowMs) {

    public PolicyInput {
        episodes = List.copyOf(episodes);
        saturated = List.copyOf(saturated);
    }
}
