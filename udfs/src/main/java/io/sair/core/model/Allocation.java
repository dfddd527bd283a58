package io.sair.core.model;

/** What one stage runs with: replicas, per-replica CPU and memory, and the GPU rate ratio (1.0 for CPU stages). */
public record Allocation(int replicas, int cpuMillis, int memoryMb, double rate) {

    public Allocation withReplicas(int r) {
        return new Allocation(r, cpuMillis, memoryMb, rate);
    }

    public Allocation withCpuMillis(int c) {
        return new Allocation(replicas, c, memoryMb, rate);
    }

    public Allocation withMemoryMb(int m) {
        return new Allocation(replicas, cpuMillis, m, rate);
    }

    public Allocation withRate(double r) {
        return new Allocation(replicas, cpuMillis, memoryMb, r);
    }
}
