package io.sair.core.policy.baseline;

import java.util.Map;

/**
 * Knobs of the Knative Pod Autoscaler baseline, with Knative Serving's defaults ({@code config-autoscaler}
 * ConfigMap; knative.dev/docs/serving/autoscaling/kpa-specific and concurrency):
 *
 * @param targetUtilisation {@code container-concurrency-target-percentage}: the share of a pod's concurrency
 *        the autoscaler aims for (70%)
 * @param panicThreshold {@code panic-threshold-percentage} / 100: panic when the panic window asks for this many
 *        times the ready pods (200% = 2.0)
 * @param stableWindowMs {@code stable-window} (60 s); panic mode also ends only after a whole stable window
 *        without a reason to panic
 * @param panicWindowPercentage {@code panic-window-percentage}: the panic window as a share of the stable
 *        window (10%, so 6 s)
 * @param maxScaleUpRate {@code max-scale-up-rate}: at most this many times the ready pods (1000)
 * @param maxScaleDownRate {@code max-scale-down-rate}: at least ready pods / this (2.0: at most halve)
 * @param defaultConcurrency {@code container-concurrency-target-default}: the concurrency a pod is taken to
 *        hold when the stage sets no {@code containerConcurrency} (100)
 * @param containerConcurrency per stage, the most requests one pod serves at once (a Revision's
 *        {@code containerConcurrency}); the stage's target is this x the target utilisation
 */
public record KpaSettings(double targetUtilisation, double panicThreshold, long stableWindowMs,
                          double panicWindowPercentage, double maxScaleUpRate, double maxScaleDownRate,
                          double defaultConcurrency, Map<String, Integer> containerConcurrency) {

    public KpaSettings {
        // Knative's validation: the utilisation 1..100%, the panic threshold 110..1000%, the stable window
        // 6 s..1 h, the panic window 1..100% of it, the rates above 1.
        if (!(targetUtilisation >= 0.01) || targetUtilisation > 1) {
            throw new IllegalArgumentException("targetUtilisation must be in [0.01, 1], got " + targetUtilisation);
        }
        if (!(panicThreshold >= 1.1) || panicThreshold > 10) {
            throw new IllegalArgumentException("panicThreshold must be in [1.1, 10], got " + panicThreshold);
        }
        if (stableWindowMs < 6_000 || stableWindowMs > 3_600_000) {
            throw new IllegalArgumentException("stableWindowMs must be in [6 s, 1 h], got " + stableWindowMs);
        }
        if (!(panicWindowPercentage >= 1) || panicWindowPercentage > 100) {
            throw new IllegalArgumentException("panicWindowPercentage must be in [1, 100], got " + panicWindowPercentage);
        }
        if (!(maxScaleUpRate > 1) || !(maxScaleDownRate > 1) || !(defaultConcurrency > 0)) {
            throw new IllegalArgumentException("scale rates must be > 1 and the default concurrency > 0");
        }
        containerConcurrency = containerConcurrency == null ? Map.of() : Map.copyOf(containerConcurrency);
    }

    public static KpaSettings defaults() {
        return new KpaSettings(0.7, 2.0, 60_000, 10.0, 1000, 2.0, 100, Map.of());
    }

    public long panicWindowMs() {
        return Math.round(stableWindowMs * panicWindowPercentage / 100.0);
    }

    /** Requests per pod the stage aims for: its containerConcurrency (or the default) x the target utilisation. */
    public double targetPerPod(String stage) {
        Integer cc = containerConcurrency.get(stage);
        double total = cc != null && cc > 0 ? cc : defaultConcurrency;
        return Math.max(0.01, total * targetUtilisation);
    }

    public KpaSettings withTarget(double utilisation) {
        return new KpaSettings(utilisation, panicThreshold, stableWindowMs, panicWindowPercentage, maxScaleUpRate,
                maxScaleDownRate, defaultConcurrency, containerConcurrency);
    }

    public KpaSettings withPanicThreshold(double threshold) {
        return new KpaSettings(targetUtilisation, threshold, stableWindowMs, panicWindowPercentage, maxScaleUpRate,
                maxScaleDownRate, defaultConcurrency, containerConcurrency);
    }

    public KpaSettings withContainerConcurrency(Map<String, Integer> perStage) {
        return new KpaSettings(targetUtilisation, panicThreshold, stableWindowMs, panicWindowPercentage, maxScaleUpRate,
                maxScaleDownRate, defaultConcurrency, perStage);
    }
}
