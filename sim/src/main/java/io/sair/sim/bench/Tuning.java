package io.sair.sim.bench;

import java.util.Locale;

/**
 * One baseline setting from the sweep; null fields keep the baseline's documented default.
 *
 * @param hpaTarget HPA's target utilisation
 * @param thresholdCpuMs Threshold's p99 limit for CPU stages (with {@code thresholdGpuMs} for GPU stages)
 * @param kpaTarget KPA's target utilisation of each pod's concurrency ({@code container-concurrency-target-percentage})
 * @param kpaPanic KPA's panic threshold (2.0 = 200%)
 * @param kedaTarget KEDA's target queue length per replica
 * @param rayTargetFactor Ray Serve's {@code target_ongoing_requests} per stage as a multiple of what one of its pods
 *        serves at once
 */
public record Tuning(Double hpaTarget, Double thresholdCpuMs, Double thresholdGpuMs, Double kpaTarget, Double kpaPanic,
                     Double kedaTarget, Double rayTargetFactor) {

    public static final Tuning DEFAULT = new Tuning(null, null, null, null, null, null, null);

    public static Tuning hpa(double target) {
        return new Tuning(target, null, null, null, null, null, null);
    }

    public static Tuning threshold(double cpuMs, double gpuMs) {
        return new Tuning(null, cpuMs, gpuMs, null, null, null, null);
    }

    public static Tuning kpa(double target, double panic) {
        return new Tuning(null, null, null, target, panic, null, null);
    }

    public static Tuning keda(double queuePerReplica) {
        return new Tuning(null, null, null, null, null, queuePerReplica, null);
    }

    /** Ray Serve with its documented default (2 ongoing requests per replica, every stage). */
    public static Tuning rayDefault() {
        return new Tuning(null, null, null, null, null, null, 0.0);
    }

    public static Tuning ray(double factorOfPodCapacity) {
        return new Tuning(null, null, null, null, null, null, factorOfPodCapacity);
    }

    /** The baseline this setting belongs to, or null for {@link #DEFAULT}. */
    public String autoscaler() {
        if (hpaTarget != null) {
            return "hpa";
        }
        if (thresholdCpuMs != null) {
            return "threshold";
        }
        if (kpaTarget != null) {
            return "kpa";
        }
        if (kedaTarget != null) {
            return "keda";
        }
        return rayTargetFactor != null ? "ray" : null;
    }

    public String label() {
        if (hpaTarget != null) {
            return String.format(Locale.ROOT, "target %.0f%%", hpaTarget * 100);
        }
        if (thresholdCpuMs != null) {
            return String.format(Locale.ROOT, "%.0f/%.0f ms", thresholdCpuMs, thresholdGpuMs);
        }
        if (kpaTarget != null) {
            return String.format(Locale.ROOT, "target %.0f%% panic %.0f%%", kpaTarget * 100, kpaPanic * 100);
        }
        if (kedaTarget != null) {
            return String.format(Locale.ROOT, "queue %.0f/replica", kedaTarget);
        }
        if (rayTargetFactor != null) {
            return rayTargetFactor == 0 ? "ongoing 2 (default)"
                    : String.format(Locale.ROOT, "ongoing %.1fx pod", rayTargetFactor);
        }
        return "default";
    }
}
