package io.sair.core;

import io.sair.core.SairController.Outcome;
import io.sair.core.policy.llm.LlmRequest;

/**
 * What a round needs next: nothing (it is decided), or the LLM's answer to a question. Callers differ only
 * in how they wait for that answer (the simulator blocks, the Flink operator goes through its mailbox)
 * and hand it to {@link SairController#answered} or {@link SairController#failed}.
 */
public sealed interface Next permits Next.Decided, Next.Ask {

    /** The round is decided: a probe, the built-in selector, or the fallback when no LLM can be asked. */
    record Decided(Outcome outcome) implements Next {
    }

    /** The round waits for the LLM's answer to {@code request}. */
    record Ask(Round round, LlmRequest request) implements Next {
    }
}
