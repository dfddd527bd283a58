package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The bottleneck classes of the paper's detector. */
public enum Bottleneck {
    NONE,
    PREPROCESSING,
    INFERENCE,
    POSTPROCESSING,
    MULTIPLE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Tolerant: null or an unknown class reads as {@link #NONE}. */
    @JsonCreator
    public static Bottleneck parse(String s) {
        if (s == null) {
            return NONE;
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // Tolerant reader: a class a newer version knows reads as none.
            return NONE;
        }
    }
}
