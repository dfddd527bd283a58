package io.sair.core.policy.baseline;

/** The tunable knobs of all baselines, so a benchmark harness can sweep them (paper: per-application tuning). */
public record BaselineSettings(HpaSettings hpa, VpaSettings vpa, ThresholdSettings threshold, KpaSettings kpa,
                               KedaSettings keda, RayServeSettings ray, Ds2Settings ds2) {

    public BaselineSettings {
        hpa = hpa == null ? HpaSettings.defaults() : hpa;
        vpa = vpa == null ? VpaSettings.defaults() : vpa;
        threshold = threshold == null ? ThresholdSettings.defaults() : threshold;
        kpa = kpa == null ? KpaSettings.defaults() : kpa;
        keda = keda == null ? KedaSettings.defaults() : keda;
        ray = ray == null ? RayServeSettings.defaults() : ray;
        ds2 = ds2 == null ? Ds2Settings.defaults() : ds2;
    }

    public static BaselineSettings defaults() {
        return new BaselineSettings(null, null, null, null, null, null, null);
    }

    public BaselineSettings withHpaTarget(double utilisation) {
        return new BaselineSettings(hpa.withTarget(utilisation), vpa, threshold, kpa, keda, ray, ds2);
    }

    public BaselineSettings withThresholds(double cpuMs, double gpuMs) {
        return new BaselineSettings(hpa, vpa, threshold.withThresholds(cpuMs, gpuMs), kpa, keda, ray, ds2);
    }

    public BaselineSettings withVpaHalfLife(long ms) {
        return new BaselineSettings(hpa, vpa.withHalfLife(ms), threshold, kpa, keda, ray, ds2);
    }

    public BaselineSettings withKpa(KpaSettings k) {
        return new BaselineSettings(hpa, vpa, threshold, k, keda, ray, ds2);
    }

    public BaselineSettings withKeda(KedaSettings k) {
        return new BaselineSettings(hpa, vpa, threshold, kpa, k, ray, ds2);
    }

    public BaselineSettings withRay(RayServeSettings r) {
        return new BaselineSettings(hpa, vpa, threshold, kpa, keda, r, ds2);
    }

    public BaselineSettings withDs2(Ds2Settings d) {
        return new BaselineSettings(hpa, vpa, threshold, kpa, keda, ray, d);
    }
}
