package io.sair.core.policy.llm;

import java.util.concurrent.CompletableFuture;

/**
 * An LLM behind a provider's API, asked without blocking: the future completes with the raw answer text,
 * or exceptionally ({@link LlmFailure} with a short reason, or a timeout) never later than the client's own
 * deadline. Implementations bound the calls in flight and their retries; the core only reads the outcome.
 */
public interface LlmClient extends AutoCloseable {

    CompletableFuture<String> ask(LlmRequest request);

    /** The deadline every call is held to, in milliseconds. */
    long deadlineMs();

    @Override
    void close();
}
