package io.sair.connectors.actuate;

import io.sair.core.model.WireName;

/** What became of one actuation step, or of a whole decision (the worst of its steps). Strict on the wire. */
public enum Outcome implements WireName {
    /** The target is in place after a write, read back. */
    APPLIED,
    /** The target was already in place: nothing written (a replayed decision lands here). */
    UNCHANGED,
    /** Shadow mode: what would have been written, nothing was. */
    SHADOW,
    /** The step did not reach its target; the reason is in the step's error. */
    FAILED
}
