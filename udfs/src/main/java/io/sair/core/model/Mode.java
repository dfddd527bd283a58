package io.sair.core.model;

/**
 * enforce: decisions are applied; shadow: computed, published and explained, never applied. Strict on the
 * wire (a typo must not turn shadow into enforce); a missing mode is enforce ({@link PipelineSpec}).
 */
public enum Mode implements WireName {
    ENFORCE,
    SHADOW
}
