package io.sair.core.model;

/**
 * Who chose an action: the LLM, the built-in selector, an exploration probe, the fallback, a baseline, or the
 * fast surge path between rounds (capacity only ever added). Tolerant reader: an unknown value (from a newer
 * version) reads as null ({@link Json}).
 */
public enum Selector implements WireName {
    LLM,
    BUILTIN,
    PROBE,
    FALLBACK,
    BASELINE,
    SURGE
}
