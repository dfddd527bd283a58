package io.sair.core;

import io.sair.core.model.PolicySettings;
import io.sair.core.model.SelectorSetting;

/** Who decides a pipeline's policy round (a probe aside): the one place this is worked out. */
public enum Route {
    /** The LLM, with the built-in selector as the fallback. */
    LLM,
    /** The built-in selector, as chosen. */
    BUILTIN,
    /** The pipeline wants the LLM but it cannot be reached: the built-in selector decides, marked fallback. */
    NO_PROVIDER;

    public static final String NO_PROVIDER_REASON =
            "the pipeline asks for the LLM selector but no LLM provider is configured";

    /**
     * @param client whether the job has an LLM client at all
     * @param defaultProvider the client's default provider; null: none (pipelines must name their own)
     */
    public static Route of(PolicySettings policy, boolean client, String defaultProvider) {
        boolean named = policy.llmProvider() != null || client && defaultProvider != null;
        SelectorSetting s = policy.selectorSetting();
        // auto wants the LLM once a provider is named: the pipeline's own counts even when the job has
        // no client, so that a pipeline that names one sees, in its decisions, that it was not asked.
        boolean wanted = s == SelectorSetting.LLM || s == SelectorSetting.AUTO && named;
        if (!wanted) {
            return BUILTIN;
        }
        return client && named ? LLM : NO_PROVIDER;
    }
}
