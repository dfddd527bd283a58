package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** The bottleneck classes of the paper's detector. Tolerant reader: a class a newer version knows reads as none. */
public enum Bottleneck implements WireName {
    @JsonEnumDefaultValue
    NONE,
    PREPROCESSING,
    INFERENCE,
    POSTPROCESSING,
    MULTIPLE
}
