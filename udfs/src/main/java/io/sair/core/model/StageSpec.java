package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One stage of a pipeline spec.
 *
 * @param gpus GPUs per replica (GPU stages; default 1)
 * @param initial the allocation the stage starts with (simulator, static baseline); defaults to the minimum
 * @param input the Kafka topic and consumer group the stage reads, if it does: its lag is the stage's queue
 *              (optional; added after the first release, so absent in older specs and savepoints)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageSpec(String name, StageKind kind, KubeTarget kubernetes, StageLimits limits, Integer gpus,
                        Allocation initial,
                        @JsonInclude(JsonInclude.Include.NON_NULL) KafkaInput input) {

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

    /** A stage without a declared Kafka input (the form before {@code input} existed). */
    public StageSpec(String name, StageKind kind, KubeTarget kubernetes, StageLimits limits, Integer gpus,
                     Allocation initial) {
        this(name, kind, kubernetes, limits, gpus, initial, null);
    }

    /** Its pods' CPU and memory change in place ({@link KubeTarget#inPlaceResize}), not by rolling them. */
    public boolean resizesInPlace() {
        return kubernetes != null && Boolean.TRUE.equals(kubernetes.inPlaceResize());
    }

    public static StageSpec of(String name, StageKind kind) {
        return new StageSpec(name, kind, null, null, null, null, null);
    }
}
