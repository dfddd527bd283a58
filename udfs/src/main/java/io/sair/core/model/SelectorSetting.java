package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who a pipeline asks to decide its policy rounds ({@code policy.selector} in a spec). */
public enum SelectorSetting {
    /** The LLM when a provider is configured (the pipeline's own or the job's default), else the built-in selector. */
    AUTO,
    /** The built-in selector, always. */
    BUILTIN,
    /** The LLM; without any provider the built-in selector decides, marked fallback. */
    LLM;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Case-insensitive; null or blank is {@link #AUTO}; an unknown name is null (the spec check names it). */
    @JsonCreator
    public static SelectorSetting parse(String s) {
        if (s == null || s.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
