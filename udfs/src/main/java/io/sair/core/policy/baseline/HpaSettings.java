package io.sair.core.policy.baseline;

/**
 * Knobs of the HPA baseline, with Kubernetes' defaults except the scale-down stabilization window,
 * which the paper set to 60 s (Kubernetes: 300 s).
 *
 * @param targetUtilisation target average utilisation of the request, in (0, 10] (paper: 0.7)
 * @param tolerance no scaling while |usage/target - 1| is at most this (0.1)
 * @param scaleDownStabilizationMs scale down only to the highest recommendation of this window (60 s)
 * @param scaleUpPods scale-up policy "Pods": at most this many pods added per period (4)
 * @param scaleUpPercent scale-up policy "Percent": at most this percentage added per period (100)
 * @param scaleUpPeriodMs period of both scale-up policies (15 s); the larger allowance wins (selectPolicy Max)
 */
public record HpaSettings(double targetUtilisation, double tolerance, long scaleDownStabilizationMs, int scaleUpPods,
                          double scaleUpPercent, long scaleUpPeriodMs) {

    public HpaSettings {
        if (!(targetUtilisation > 0) || targetUtilisation > 10) {
            throw new IllegalArgumentException("targetUtilisation must be in (0, 10], got " + targetUtilisation);
        }
        if (!(tolerance >= 0) || tolerance >= 1) {
            throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
        }
        if (scaleDownStabilizationMs < 0 || scaleUpPeriodMs <= 0) {
            throw new IllegalArgumentException("stabilization window must be >= 0 and the scale-up period > 0");
        }
        if (scaleUpPods < 0 || !(scaleUpPercent >= 0)) {
            throw new IllegalArgumentException("scale-up policies must not be negative");
        }
    }

    public static HpaSettings defaults() {
        return new HpaSettings(0.7, 0.1, 60_000, 4, 100, 15_000);
    }

    public HpaSettings withTarget(double utilisation) {
        return new HpaSettings(utilisation, tolerance, scaleDownStabilizationMs, scaleUpPods, scaleUpPercent,
                scaleUpPeriodMs);
    }

    public HpaSettings withStabilization(long ms) {
        return new HpaSettings(targetUtilisation, tolerance, ms, scaleUpPods, scaleUpPercent, scaleUpPeriodMs);
    }
}
