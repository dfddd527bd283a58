package io.sair.connectors.actuate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What became of one actuation step, or of a whole decision (the worst of its steps). */
public enum Outcome {
    /** The target is in place after a write, read back. */
    APPLIED,
    /** The target was already in place: nothing written (a replayed decision lands here). */
    UNCHANGED,
    /** Shadow mode: what would have been written, nothing was. */
    SHADOW,
    /** The step did not reach its target; the reason is in the step's error. */
    FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Outcome parse(String s) {
        return Outcome.valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
