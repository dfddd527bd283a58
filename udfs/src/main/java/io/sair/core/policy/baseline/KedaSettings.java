package io.sair.core.policy.baseline;

/**
 * Knobs of the KEDA baseline: a ScaledObject per stage with one queue trigger (KEDA docs, "ScaledObject
 * specification" and the Apache Kafka scaler, keda.sh/docs/2.15), its metric handed to an HPA as an
 * {@code AverageValue} target.
 *
 * @param targetQueueLength the trigger's target per replica: desired replicas = ceil(queue / this)
 *        (the Kafka scaler's {@code lagThreshold} defaults to 10)
 * @param fallbackFailureThreshold {@code fallback.failureThreshold}: consecutive failed metric reads before the
 *        fallback applies (3 in KEDA's examples)
 * @param fallbackReplicas {@code fallback.replicas}; null when no fallback is set (KEDA then leaves the HPA
 *        without a metric, and nothing changes)
 * @param behaviour the HPA's tolerance, scale-up policies and scale-down stabilization; KEDA leaves
 *        Kubernetes' defaults (300 s stabilization), unlike the paper's HPA baseline (60 s)
 */
public record KedaSettings(double targetQueueLength, int fallbackFailureThreshold, Integer fallbackReplicas,
                           HpaSettings behaviour) {

    public static final long KUBERNETES_SCALE_DOWN_STABILIZATION_MS = 300_000;

    public KedaSettings {
        if (!(targetQueueLength > 0) || Double.isInfinite(targetQueueLength)) {
            throw new IllegalArgumentException("targetQueueLength must be positive, got " + targetQueueLength);
        }
        if (fallbackFailureThreshold < 0) {
            throw new IllegalArgumentException("fallbackFailureThreshold must not be negative");
        }
        if (fallbackReplicas != null && fallbackReplicas < 0) {
            throw new IllegalArgumentException("fallbackReplicas must not be negative");
        }
        behaviour = behaviour == null ? HpaSettings.defaults().withStabilization(KUBERNETES_SCALE_DOWN_STABILIZATION_MS)
                : behaviour;
    }

    public static KedaSettings defaults() {
        return new KedaSettings(10, 3, null, null);
    }

    public KedaSettings withTarget(double queueLength) {
        return new KedaSettings(queueLength, fallbackFailureThreshold, fallbackReplicas, behaviour);
    }

    public KedaSettings withFallback(int failureThreshold, int replicas) {
        return new KedaSettings(targetQueueLength, failureThreshold, replicas, behaviour);
    }
}
