package io.sair.core.policy.baseline;

/**
 * Knobs of the rule-based p99 threshold baseline (paper: 100 ms for CPU stages, 200 ms for GPU stages,
 * 60 s cooldown).
 *
 * @param cpuThresholdMs a CPU stage whose p99 is above this gains a replica
 * @param gpuThresholdMs the same for GPU stages
 * @param scaleDownFactor a stage whose p99 is below threshold x this loses a replica (0.5)
 * @param cooldownMs after a change, a stage is left alone this long
 */
public record ThresholdSettings(double cpuThresholdMs, double gpuThresholdMs, double scaleDownFactor, long cooldownMs) {

    public ThresholdSettings {
        if (!(cpuThresholdMs > 0) || !(gpuThresholdMs > 0) || Double.isInfinite(cpuThresholdMs)
                || Double.isInfinite(gpuThresholdMs)) {
            throw new IllegalArgumentException("thresholds must be positive milliseconds");
        }
        if (!(scaleDownFactor >= 0) || scaleDownFactor >= 1) {
            throw new IllegalArgumentException("scaleDownFactor must be in [0, 1), got " + scaleDownFactor);
        }
        if (cooldownMs < 0) {
            throw new IllegalArgumentException("cooldownMs must not be negative");
        }
    }

    public static ThresholdSettings defaults() {
        return new ThresholdSettings(100, 200, 0.5, 60_000);
    }

    public ThresholdSettings withThresholds(double cpuMs, double gpuMs) {
        return new ThresholdSettings(cpuMs, gpuMs, scaleDownFactor, cooldownMs);
    }
}
