package io.sair.core.policy.llm;

/**
 * A failed LLM call with a reason fit for a decision record: short, single-line, free of secrets and of
 * the provider's response body (which could carry anything).
 */
public final class LlmFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LlmFailure(String reason) {
        super(PromptText.line(reason, 200), null, false, false);
    }

    public LlmFailure(String reason, Throwable cause) {
        super(PromptText.line(reason, 200), cause, false, false);
    }
}
