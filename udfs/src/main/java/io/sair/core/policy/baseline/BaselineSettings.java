package io.sair.core.policy.baseline;

/** The tunable knobs of all baselines, so a benchmark harness can sweep them (paper: per-application tuning). */
public record BaselineSettings(HpaSettings hpa, VpaSettings vpa, ThresholdSettings threshold) {

    public BaselineSettings {
        hpa = hpa == null ? HpaSettings.defaults() : hpa;
        vpa = vpa == null ? VpaSettings.defaults() : vpa;
        threshold = threshold == null ? ThresholdSettings.defaults() : threshold;
    }

    public static BaselineSettings defaults() {
        return new BaselineSettings(null, null, null);
    }

    public BaselineSettings withHpaTarget(double utilisation) {
        return new BaselineSettings(hpa.withTarget(utilisation), vpa, threshold);
    }

    public BaselineSettings withThresholds(double cpuMs, double gpuMs) {
        return new BaselineSettings(hpa, vpa, threshold.withThresholds(cpuMs, gpuMs));
    }

    public BaselineSettings withVpaHalfLife(long ms) {
        return new BaselineSettings(hpa, vpa.withHalfLife(ms), threshold);
    }
}
