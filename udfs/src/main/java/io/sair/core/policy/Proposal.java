package io.sair.core.policy;

import io.sair.core.model.ScalingAction;

/** A policy's raw proposal (absolute targets, not yet validated) and its reason in words. */
public record Proposal(ScalingAction action, String rationale) {

    public static Proposal none(String why) {
        return new Proposal(ScalingAction.none(), why);
    }
}
