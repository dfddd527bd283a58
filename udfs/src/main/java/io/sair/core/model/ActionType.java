package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Per-stage action of the paper's Appendix I schema. */
public enum ActionType {
    NONE,
    SCALE_REPLICAS,
    SCALE_RESOURCES,
    SCALE_BOTH,
    ADJUST_RATE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Lenient: accepts any case, dashes or spaces; null for an unknown word (callers report it). */
    @JsonCreator
    public static ActionType parseOrNull(String s) {
        if (s == null) {
            return null;
        }
        String k = s.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (ActionType t : values()) {
            if (t.name().equals(k)) {
                return t;
            }
        }
        return null;
    }

    public boolean touchesReplicas() {
        return this == SCALE_REPLICAS || this == SCALE_BOTH;
    }

    public boolean touchesResources() {
        return this == SCALE_RESOURCES || this == SCALE_BOTH;
    }
}
