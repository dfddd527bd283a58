package io.sair.core.policy.llm;

import io.sair.core.model.Bottleneck;
import io.sair.core.model.ScalingAction;
import java.util.List;

/**
 * What the parser made of an LLM answer.
 *
 * @param action the proposed absolute targets (not yet validated), null when rejected
 * @param bottleneck the LLM's bottleneck estimate, null when absent or not understood
 * @param rationale the LLM's reason, single-line and bounded; empty when absent
 * @param issues what was dropped or reinterpreted, one line each
 * @param error why the whole answer was rejected; null when it was accepted
 */
public record ParseResult(ScalingAction action, Bottleneck bottleneck, String rationale, List<String> issues,
                          String error) {

    public ParseResult {
        rationale = rationale == null ? "" : rationale;
        issues = List.copyOf(issues);
    }

    static ParseResult rejected(String error, List<String> issues) {
        return new ParseResult(null, null, "", issues, error);
    }

    public boolean accepted() {
        return error == null;
    }
}
