package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Bounds, per-step limits and cooldowns of one stage (the paper's Table 2; its lost step values are
 * this project's defaults). Every field is optional on the wire and defaults here.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageLimits(
        Integer minReplicas,
        Integer maxReplicas,
        Integer minCpuMillis,
        Integer maxCpuMillis,
        Integer minMemoryMb,
        Integer maxMemoryMb,
        Double minRate,
        Double maxRate,
        Integer replicaStep,
        Integer cpuStepMillis,
        Integer memoryStepMb,
        Double rateStep,
        Long scaleUpCooldownMs,
        Long scaleDownCooldownMs,
        Long rateCooldownMs) {

    public StageLimits {
        minReplicas = or(minReplicas, 1);
        maxReplicas = or(maxReplicas, 8);
        minCpuMillis = or(minCpuMillis, 250);
        maxCpuMillis = or(maxCpuMillis, 8000);
        minMemoryMb = or(minMemoryMb, 256);
        maxMemoryMb = or(maxMemoryMb, 32768);
        minRate = or(minRate, 0.1);
        maxRate = or(maxRate, 1.0);
        replicaStep = or(replicaStep, 2);
        cpuStepMillis = or(cpuStepMillis, 500);
        memoryStepMb = or(memoryStepMb, 256);
        rateStep = or(rateStep, 0.2);
        scaleUpCooldownMs = or(scaleUpCooldownMs, 60_000L);
        scaleDownCooldownMs = or(scaleDownCooldownMs, 120_000L);
        // The rate acts within the round (no pod restarts), so it needs no cooldown by default.
        rateCooldownMs = or(rateCooldownMs, 0L);
    }

    public static StageLimits defaults() {
        return new StageLimits(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public StageLimits withReplicas(int min, int max) {
        return new StageLimits(min, max, minCpuMillis, maxCpuMillis, minMemoryMb, maxMemoryMb, minRate, maxRate,
                replicaStep, cpuStepMillis, memoryStepMb, rateStep, scaleUpCooldownMs, scaleDownCooldownMs, rateCooldownMs);
    }

    public StageLimits withCpu(int min, int max) {
        return new StageLimits(minReplicas, maxReplicas, min, max, minMemoryMb, maxMemoryMb, minRate, maxRate,
                replicaStep, cpuStepMillis, memoryStepMb, rateStep, scaleUpCooldownMs, scaleDownCooldownMs, rateCooldownMs);
    }

    /**
     * How far replicas may move in one round from {@code current}: scaling up may reach four times
     * what runs (HPA's default policy doubles every 15 s, twice per 30 s round), and always one step;
     * scaling down one step. A burst that triples the load is not met one step per round.
     */
    public int replicaStep(int current, boolean up) {
        return up ? Math.max(replicaStep, 3 * current) : replicaStep;
    }

    /** How far the GPU rate may move in one round: up to double (at least one step), down one step. */
    public double rateStep(double current, boolean up) {
        return up ? Math.max(rateStep, current) : rateStep;
    }

    /**
     * The CPU one step from {@code current}, within the stage's bounds: a step that would cross a bound stops at it
     * (a 500 m pod with the 250 m least and 500 m steps goes to 250 m, as VPA's would), so the bounds, not the step,
     * say how small or large a pod may get.
     */
    public int cpuOneStep(int current, boolean up) {
        return up ? Math.max(current, Math.min(maxCpuMillis, current + cpuStepMillis))
                : Math.min(current, Math.max(minCpuMillis, current - cpuStepMillis));
    }

    /**
     * How far the CPU may move in one decision from {@code current}: one step; up to double (at least one step) where
     * the pods resize in place ({@code inPlace}), as the GPU rate may ({@link #rateStep(double, boolean)}).
     */
    public int cpuStep(int current, boolean up, boolean inPlace) {
        return up && inPlace ? Math.max(cpuStepMillis, current) : cpuStepMillis;
    }

    public StageLimits withMemory(int min, int max) {
        return new StageLimits(minReplicas, maxReplicas, minCpuMillis, maxCpuMillis, min, max, minRate, maxRate,
                replicaStep, cpuStepMillis, memoryStepMb, rateStep, scaleUpCooldownMs, scaleDownCooldownMs, rateCooldownMs);
    }

    public StageLimits withCooldowns(long upMs, long downMs) {
        return new StageLimits(minReplicas, maxReplicas, minCpuMillis, maxCpuMillis, minMemoryMb, maxMemoryMb, minRate,
                maxRate, replicaStep, cpuStepMillis, memoryStepMb, rateStep, upMs, downMs, rateCooldownMs);
    }

    private static <T> T or(T v, T d) {
        return v == null ? d : v;
    }
}
