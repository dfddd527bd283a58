package io.sair.core.policy.baseline;

/**
 * Knobs of the DS2-style true-processing-rate baseline, with the defaults of the Flink autoscaler's
 * {@code AutoScalerOptions} (apache/flink-kubernetes-operator, module flink-autoscaler):
 *
 * @param targetUtilisation {@code job.autoscaler.target.utilization} (0.7)
 * @param boundary {@code job.autoscaler.target.utilization.boundary}: no scaling while the true processing
 *        rate lies within the capacities needed at utilisation target + boundary and target - boundary (0.3)
 * @param metricsWindowMs {@code job.autoscaler.metrics.window}: decisions wait for a full window and
 *        average over it (15 min)
 * @param stabilizationMs {@code job.autoscaler.stabilization.interval}: after the start and after every
 *        rescale, metrics are not collected for this long (5 min)
 * @param catchUpMs {@code job.autoscaler.catch-up.duration}: a backlog should be worked off within this (30 min)
 * @param restartMs {@code job.autoscaler.restart.time}: the input that piles up during a restart is added to
 *        the target too (5 min)
 * @param maxScaleDownFactor {@code job.autoscaler.scale-down.max-factor}: at most this share removed at once (0.6)
 * @param maxScaleUpFactor {@code job.autoscaler.scale-up.max-factor} (100000)
 * @param scaleUpGracePeriodMs {@code job.autoscaler.scale-up.grace-period}: no scale-down of a stage within this
 *        of its last scale-up (1 h)
 */
public record Ds2Settings(double targetUtilisation, double boundary, long metricsWindowMs, long stabilizationMs,
                          long catchUpMs, long restartMs, double maxScaleDownFactor, double maxScaleUpFactor,
                          long scaleUpGracePeriodMs) {

    public Ds2Settings {
        if (!(targetUtilisation > 0) || targetUtilisation > 1) {
            throw new IllegalArgumentException("targetUtilisation must be in (0, 1], got " + targetUtilisation);
        }
        if (!(boundary >= 0) || boundary >= 1) {
            throw new IllegalArgumentException("boundary must be in [0, 1), got " + boundary);
        }
        if (metricsWindowMs <= 0 || stabilizationMs < 0 || catchUpMs < 0 || restartMs < 0 || scaleUpGracePeriodMs < 0) {
            throw new IllegalArgumentException("the window must be positive and the durations not negative");
        }
        if (!(maxScaleDownFactor >= 0) || maxScaleDownFactor > 1 || !(maxScaleUpFactor > 0)) {
            throw new IllegalArgumentException("maxScaleDownFactor in [0, 1], maxScaleUpFactor > 0");
        }
    }

    public static Ds2Settings defaults() {
        return new Ds2Settings(0.7, 0.3, 15 * 60_000L, 5 * 60_000L, 30 * 60_000L, 5 * 60_000L, 0.6, 100_000,
                3_600_000L);
    }

    public Ds2Settings withTarget(double utilisation) {
        return new Ds2Settings(utilisation, boundary, metricsWindowMs,
                stabilizationMs, catchUpMs, restartMs, maxScaleDownFactor, maxScaleUpFactor, scaleUpGracePeriodMs);
    }
}
