package io.sair.core.model;

/** What a stage runs on: CPU stages scale replicas and resources, GPU stages replicas and rate. Strict on the wire. */
public enum StageKind implements WireName {
    CPU,
    GPU
}
