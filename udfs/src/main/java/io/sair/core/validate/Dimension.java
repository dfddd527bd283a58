package io.sair.core.validate;

import io.sair.core.model.WireName;

/** A scalable dimension of a stage. */
public enum Dimension implements WireName {
    REPLICAS,
    CPU,
    MEMORY,
    RATE
}
