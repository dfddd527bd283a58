package io.sair.core.validate;

import java.util.Locale;

/** A scalable dimension of a stage. */
public enum Dimension {
    REPLICAS,
    CPU,
    MEMORY,
    RATE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
