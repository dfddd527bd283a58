package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Who chose an action: the LLM, the built-in selector, an exploration probe, the fallback, a baseline, or the
 * fast surge path between rounds (capacity only ever added).
 */
public enum Selector {
    LLM,
    BUILTIN,
    PROBE,
    FALLBACK,
    BASELINE,
    SURGE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Tolerant: an unknown value (from a newer version) reads as null. */
    @JsonCreator
    public static Selector parse(String s) {
        if (s == null) {
            return null;
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
