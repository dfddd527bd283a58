package io.sair.core.model;

/** Per-stage action of the paper's Appendix I schema. Tolerant reader: an unknown action reads as null ({@link Json}). */
public enum ActionType implements WireName {
    NONE,
    SCALE_REPLICAS,
    SCALE_RESOURCES,
    SCALE_BOTH,
    ADJUST_RATE;

    /** Lenient, for an LLM's words: any case, dashes or spaces; null for an unknown word (callers report it). */
    public static ActionType parseOrNull(String s) {
        return WireName.parse(ActionType.class, s);
    }

    public boolean touchesReplicas() {
        return this == SCALE_REPLICAS || this == SCALE_BOTH;
    }

    public boolean touchesResources() {
        return this == SCALE_RESOURCES || this == SCALE_BOTH;
    }
}
