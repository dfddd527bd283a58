package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How a pipeline is controlled.
 *
 * @param selector {@code auto} (the default: the LLM when the job has a provider configured, else built-in),
 *     {@code builtin} or {@code llm} (llm without any configured provider: built-in decides, marked fallback)
 * @param llmProvider openai | ollama | anthropic; null: the job's default
 * @param llmModel model name; null: the job's default
 * @param temperature LLM sampling temperature (paper: 1.0)
 * @param episodes k, the number of retrieved episodes (paper: 15)
 * @param epsilon initial exploration rate (0.15), decayed by {@code epsilonDecay} (0.95) to {@code epsilonFloor} (0.05)
 * @param seed seeds exploration, so a run is reproducible
 * @param allowIncomplete decide even when some stage did not report in the window
 * @param memoryCap experiences kept per pipeline
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PolicySettings(
        String selector,
        String llmProvider,
        String llmModel,
        Double temperature,
        Integer episodes,
        Double epsilon,
        Double epsilonDecay,
        Double epsilonFloor,
        Long seed,
        Boolean allowIncomplete,
        Integer memoryCap) {

    public PolicySettings {
        selector = selector == null || selector.isBlank() ? AUTO : selector.trim().toLowerCase(java.util.Locale.ROOT);
        llmProvider = llmProvider == null || llmProvider.isBlank() ? null : llmProvider.trim().toLowerCase(java.util.Locale.ROOT);
        llmModel = llmModel == null || llmModel.isBlank() ? null : llmModel.trim();
        temperature = temperature == null ? 1.0 : temperature;
        episodes = episodes == null ? 15 : episodes;
        epsilon = epsilon == null ? 0.15 : epsilon;
        epsilonDecay = epsilonDecay == null ? 0.95 : epsilonDecay;
        epsilonFloor = epsilonFloor == null ? 0.05 : epsilonFloor;
        seed = seed == null ? 42L : seed;
        allowIncomplete = allowIncomplete != null && allowIncomplete;
        memoryCap = memoryCap == null ? 1000 : memoryCap;
    }

    public static final String AUTO = "auto";
    public static final String BUILTIN = "builtin";
    public static final String LLM = "llm";

    public static PolicySettings defaults() {
        return new PolicySettings(null, null, null, null, null, null, null, null, null, null, null);
    }
}
