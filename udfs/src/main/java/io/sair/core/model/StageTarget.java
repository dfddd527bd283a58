package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The executed (validated) target of one stage with the deltas from what ran before. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageTarget(String stage, StageKind kind, int replicas, int cpuMillis, int memoryMb, double rate,
                          int dReplicas, int dCpuMillis, int dMemoryMb, double dRate) {

    public static StageTarget of(String stage, StageKind kind, Allocation current, Allocation target) {
        return new StageTarget(stage, kind, target.replicas(), target.cpuMillis(), target.memoryMb(), target.rate(),
                target.replicas() - current.replicas(), target.cpuMillis() - current.cpuMillis(),
                target.memoryMb() - current.memoryMb(), round2(target.rate() - current.rate()));
    }

    public Allocation target() {
        return new Allocation(replicas, cpuMillis, memoryMb, rate);
    }

    public Allocation previous() {
        return new Allocation(replicas - dReplicas, cpuMillis - dCpuMillis, memoryMb - dMemoryMb, round2(rate - dRate));
    }

    public boolean changes() {
        return dReplicas != 0 || dCpuMillis != 0 || dMemoryMb != 0 || Math.abs(dRate) > 1e-9;
    }

    static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
