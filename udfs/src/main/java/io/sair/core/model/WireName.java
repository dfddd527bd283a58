package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * An enum on the wire: written by its lower-case name, read by {@link Json#MAPPER} in any case (and an
 * unknown word as {@link Json} says for each enum). The one copy of what every enum of the model used to
 * spell out for itself.
 */
public interface WireName {

    /** Implemented by every enum. */
    String name();

    @JsonValue
    default String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A word from outside JSON (an LLM's answer, a spec's string field) as one of {@code type}'s values:
     * any case, a dash or a space for an underscore; null when it is null or names none of them.
     */
    static <E extends Enum<E>> E parse(Class<E> type, String word) {
        if (word == null) {
            return null;
        }
        String k = word.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(k)) {
                return e;
            }
        }
        return null;
    }
}
