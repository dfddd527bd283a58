package io.sair.core.policy.llm;

/**
 * One question to the LLM: the prompt, the JSON schema of the answer, and the pipeline's overrides.
 *
 * @param pipeline the pipeline asking (sanitised; for logs and metrics, never part of the prompt's rules)
 * @param provider openai | ollama | anthropic; null: the client's configured provider
 * @param model the model name; null: the client's configured model
 * @param temperature sampling temperature
 */
public record LlmRequest(String pipeline, Prompt prompt, ActionSchema schema, String provider, String model,
                         double temperature) {
}
