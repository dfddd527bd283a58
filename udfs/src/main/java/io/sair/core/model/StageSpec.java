package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One stage of a pipeline spec.
 *
 * @param gpus GPUs per replica (GPU stages; default 1)
 * @param initial the allocation the stage starts with (simulator, static baseline); defaults to the minimum
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageSpec(String name, StageKind kind, KubeTarget kubernetes, StageLimits limits, Integer gpus,
                        Allocation initial) {

    public StageSpec {
        limits = limits == null ? StageLimits.defaults() : limits;
        gpus = gpus == null ? (kind == StageKind.GPU ? 1 : 0) : gpus;
        if (initial == null) {
            // One replica at 1 core / 1 GiB at full rate, inside the bounds.
            initial = new Allocation(Math.max(1, limits.minReplicas()),
                    Math.min(limits.maxCpuMillis(), Math.max(limits.minCpuMillis(), 1000)),
                    Math.min(limits.maxMemoryMb(), Math.max(limits.minMemoryMb(), 1024)),
                    Math.min(limits.maxRate(), 1.0));
        }
    }

    public static StageSpec of(String name, StageKind kind) {
        return new StageSpec(name, kind, null, null, null, null);
    }
}
