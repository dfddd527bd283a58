package io.sair.sim.bench;

/**
 * One baseline setting from the sweep: HPA's target utilisation or Threshold's p99 limits (ms, for
 * CPU and GPU stages). Null fields keep the baseline's default.
 */
public record Tuning(Double hpaTarget, Double thresholdCpuMs, Double thresholdGpuMs) {

    public static final Tuning DEFAULT = new Tuning(null, null, null);

    public static Tuning hpa(double target) {
        return new Tuning(target, null, null);
    }

    public static Tuning threshold(double cpuMs, double gpuMs) {
        return new Tuning(null, cpuMs, gpuMs);
    }

    public String label() {
        if (hpaTarget != null) {
            return String.format("target %.0f%%", hpaTarget * 100);
        }
        if (thresholdCpuMs != null) {
            return String.format("%.0f/%.0f ms", thresholdCpuMs, thresholdGpuMs);
        }
        return "default";
    }
}
