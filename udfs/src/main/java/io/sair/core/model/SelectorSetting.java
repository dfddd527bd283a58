package io.sair.core.model;

/**
 * Who a pipeline asks to decide its policy rounds ({@code policy.selector} in a spec, a string there: see
 * {@link PolicySettings}).
 */
public enum SelectorSetting implements WireName {
    /** The LLM when a provider is configured (the pipeline's own or the job's default), else the built-in selector. */
    AUTO,
    /** The built-in selector, always. */
    BUILTIN,
    /** The LLM; without any provider the built-in selector decides, marked fallback. */
    LLM
}
