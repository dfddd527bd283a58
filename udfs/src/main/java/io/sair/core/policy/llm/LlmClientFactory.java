package io.sair.core.policy.llm;

import java.io.Serializable;

/**
 * Creates the LLM client where it runs (a Flink task, the simulator): the factory travels with the job
 * graph, so it carries settings only; secrets are read by {@link #create()} on the machine that calls.
 */
public interface LlmClientFactory extends Serializable {

    LlmClient create();

    /** The provider pipelines use when they name none (openai, ollama or anthropic). */
    String defaultProvider();
}
