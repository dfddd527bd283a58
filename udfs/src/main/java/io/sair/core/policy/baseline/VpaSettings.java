package io.sair.core.policy.baseline;

/**
 * Knobs of the VPA baseline, with the VPA recommender's and updater's defaults where they exist.
 *
 * @param halfLifeMs half-life of the usage histograms' decay (VPA: 24 h; a simulator compresses it)
 * @param safetyMargin added to every percentile (VPA: 0.15)
 * @param minSamples CPU samples a stage needs before VPA recommends for it
 * @param minUpdateIntervalMs a stage is not evicted again within this time of its last eviction
 * @param minReplicasForEviction stages with fewer replicas are not evicted. VPA's updater defaults to 2;
 *        the default here is 1, since the paper's VPA did resize single-replica stages
 */
public record VpaSettings(long halfLifeMs, double safetyMargin, int minSamples, long minUpdateIntervalMs,
                          int minReplicasForEviction) {

    public static final long DAY_MS = 24L * 3600 * 1000;

    public VpaSettings {
        if (halfLifeMs <= 0) {
            throw new IllegalArgumentException("halfLifeMs must be positive");
        }
        if (!(safetyMargin >= 0) || safetyMargin > 10) {
            throw new IllegalArgumentException("safetyMargin must be in [0, 10], got " + safetyMargin);
        }
        if (minSamples < 1 || minUpdateIntervalMs < 0 || minReplicasForEviction < 0) {
            throw new IllegalArgumentException("minSamples >= 1, minUpdateIntervalMs >= 0, minReplicasForEviction >= 0");
        }
    }

    public static VpaSettings defaults() {
        return new VpaSettings(DAY_MS, 0.15, 10, 5 * 60_000L, 1);
    }

    public VpaSettings withHalfLife(long ms) {
        return new VpaSettings(ms, safetyMargin, minSamples, minUpdateIntervalMs, minReplicasForEviction);
    }
}
