package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a stage runs on: CPU stages scale replicas and resources, GPU stages replicas and rate. */
public enum StageKind {
    CPU,
    GPU;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static StageKind parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("stage kind is missing");
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "cpu" -> CPU;
            case "gpu" -> GPU;
            default -> throw new IllegalArgumentException("unknown stage kind '" + s + "' (cpu|gpu)");
        };
    }
}
