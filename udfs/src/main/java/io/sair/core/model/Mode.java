package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** enforce: decisions are applied; shadow: computed, published and explained, never applied. */
public enum Mode {
    ENFORCE,
    SHADOW;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Mode parse(String s) {
        if (s == null) {
            return ENFORCE;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "enforce" -> ENFORCE;
            case "shadow" -> SHADOW;
            default -> throw new IllegalArgumentException("unknown mode '" + s + "' (enforce|shadow)");
        };
    }
}
