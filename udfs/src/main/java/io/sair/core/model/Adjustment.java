package io.sair.core.model;

/** One change the validator made to a proposal, and why. NaN means "not given". */
public record Adjustment(String stage, String field, double proposed, double applied, String reason) {
}
