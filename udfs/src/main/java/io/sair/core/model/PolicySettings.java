package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How a pipeline is controlled.
 *
 * @param selector a {@link SelectorSetting} by its wire name, any case: {@code auto} (the default), {@code builtin}
 *     or {@code llm}; read it as the enum with {@link #selectorSetting()}. Kept a string because specs live in
 *     Flink broadcast state as records: changing the field's type would make the golden savepoints unreadable.
 * @param llmProvider openai | ollama | anthropic; null: the job's default
 * @param llmModel model name; null: the job's default
 * @param temperature LLM sampling temperature (paper: 1.0)
 * @param episodes k, the number of retrieved episodes (paper: 15)
 * @param epsilon initial exploration rate (0.15), decayed by {@code epsilonDecay} (0.95) to {@code epsilonFloor} (0.05)
 * @param seed seeds exploration, so a run is reproducible
 * @param allowIncomplete decide even when some stage did not report in the window
 * @param memoryCap experiences kept per pipeline
 * @param reward overrides of the reward's weights, caps and margin; null: the controller's defaults
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
        Integer memoryCap,
        RewardSettings reward) {

    /** The form without reward overrides. */
    public PolicySettings(String selector, String llmProvider, String llmModel, Double temperature, Integer episodes,
                          Double epsilon, Double epsilonDecay, Double epsilonFloor, Long seed, Boolean allowIncomplete,
                          Integer memoryCap) {
        this(selector, llmProvider, llmModel, temperature, episodes, epsilon, epsilonDecay, epsilonFloor, seed,
                allowIncomplete, memoryCap, null);
    }

    public PolicySettings {
        SelectorSetting known = selector == null || selector.isBlank() ? SelectorSetting.AUTO
                : WireName.parse(SelectorSetting.class, selector);
        // An unknown name is kept as written (lower-cased) so that the spec check can name it.
        selector = known != null ? known.wire() : selector.trim().toLowerCase(java.util.Locale.ROOT);
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

    /** The selector as the enum it stands for; null only for an unknown name, which the spec check rejects. */
    public SelectorSetting selectorSetting() {
        return WireName.parse(SelectorSetting.class, selector);
    }

    public static PolicySettings defaults() {
        return new PolicySettings(null, null, null, null, null, null, null, null, null, null, null);
    }
}
