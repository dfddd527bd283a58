package io.sair.core;

import io.sair.core.model.Bottleneck;
import io.sair.core.model.Experience;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.RewardBreakdown;
import io.sair.core.model.ScalingAction;
import io.sair.core.policy.PolicyInput;
import java.util.List;
import java.util.Optional;

/**
 * A round between its two halves: the last decision is rewarded and remembered, the bottleneck is
 * known, and either a probe is chosen or the episodes for the policy are retrieved. The LLM call
 * happens between {@link SairController#begin} and {@link SairController#finish}.
 *
 * @param state the state after rewarding and remembering (before this round's decision)
 * @param previousReward reward of the last decision, null when there was none to reward
 * @param probe the exploration probe, when this round explores
 * @param previousP99Ms the pipeline's p99 in the window the last decision was made on (NaN: none)
 */
public record Round(ControllerState state, PipelineContext context, PipelineSpec spec, RewardBreakdown previousReward,
                    Bottleneck bottleneck, List<String> saturated, double[] features, List<Experience> episodes,
                    Optional<ScalingAction> probe, double previousP99Ms) {

    public PolicyInput policyInput() {
        return new PolicyInput(context, spec, episodes, features, bottleneck, saturated, context.windowEnd(),
                state.peaks(context), state.capacity(), previousP99Ms);
    }
}
