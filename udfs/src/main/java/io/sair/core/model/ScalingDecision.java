package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One validated decision for one pipeline and round: the record on {@code sair.actions}.
 *
 * @param decisionId stable for a pipeline and window, so a replayed decision is recognisable
 * @param stages absolute targets and clamped deltas, every stage of the context
 * @param adjustments what the validator changed in the proposal, and why
 * @param previousReward reward of the previous decision, measured on this window (null in the first round)
 * @param fallbackReason why the LLM did not decide, when {@code selector} is fallback
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScalingDecision(
        int v,
        String decisionId,
        String pipeline,
        long windowEnd,
        Mode mode,
        Selector selector,
        List<StageTarget> stages,
        List<Adjustment> adjustments,
        Bottleneck bottleneck,
        String rationale,
        String fallbackReason,
        RewardBreakdown previousReward,
        double p99Ms,
        double slaMs,
        double costPerHour,
        double epsilon,
        int experiences) {

    public static final int VERSION = 1;

    public ScalingDecision {
        stages = List.copyOf(stages);
        adjustments = adjustments == null ? List.of() : List.copyOf(adjustments);
    }

    public static String idFor(String pipeline, long windowEnd) {
        return pipeline + "@" + windowEnd;
    }

    /** A surge's id: the report period's end, marked, so it never collides with a round's id at the same instant. */
    public static String surgeIdFor(String pipeline, long reportEnd) {
        return idFor(pipeline, reportEnd) + "/surge";
    }

    public boolean changesAnything() {
        return stages.stream().anyMatch(StageTarget::changes);
    }
}
