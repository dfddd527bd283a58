package io.sair.core.policy.baseline;

/**
 * VPA's decaying histogram ({@code pkg/recommender/util/decaying_histogram.go}): exponentially growing
 * buckets (bucket i starts at first x (ratio^i - 1) / (ratio - 1)) whose weights decay by a half-life.
 * Written out rather than taken from HdrHistogram because VPA's recommendations depend on exactly these
 * bucket bounds, on fractional decayed weights and on its percentile returning a bucket's end.
 */
final class DecayingHistogram {

    /** VPA renormalises before 2^exponent can overflow. */
    private static final double MAX_DECAY_EXPONENT = 100;
    private static final double EPSILON = 1e-10;

    private final double firstBucketSize;
    private final double ratio;
    private final double[] weights;
    private final long halfLifeMs;
    private double totalWeight;
    private long referenceMs;
    private boolean referenceSet;

    /**
     * @param firstBucketSize width of the first bucket (VPA: 0.01 cores, 10 MB)
     * @param ratio growth of the bucket widths (VPA: 1.05)
     * @param maxValue start of the last bucket, which is open (VPA: 1000 cores, 1 TB)
     */
    DecayingHistogram(double firstBucketSize, double ratio, double maxValue, long halfLifeMs) {
        this.firstBucketSize = firstBucketSize;
        this.ratio = ratio;
        this.halfLifeMs = halfLifeMs;
        int n = (int) Math.ceil(Math.log(maxValue * (ratio - 1) / firstBucketSize + 1) / Math.log(ratio)) + 1;
        this.weights = new double[n];
    }

    /** CPU usage in millicores, as VPA's CPU histogram: first bucket 10 m, ratio 1.05, up to 1000 cores. */
    static DecayingHistogram cpuMillicores(long halfLifeMs) {
        return new DecayingHistogram(10, 1.05, 1_000_000, halfLifeMs);
    }

    /** Memory in MB, as VPA's memory histogram: first bucket 10 MB, ratio 1.05, up to 1 TB. */
    static DecayingHistogram memoryMb(long halfLifeMs) {
        return new DecayingHistogram(10, 1.05, 1_000_000, halfLifeMs);
    }

    void add(double value, double weight, long atMs) {
        if (!Double.isFinite(value) || !(weight > 0) || !Double.isFinite(weight)) {
            return;
        }
        double w = weight * decayFactor(atMs);
        weights[bucket(Math.max(0, value))] += w;
        totalWeight += w;
    }

    /** The end of the first bucket at which the cumulative weight reaches p x total (VPA's convention), 0 when empty. */
    double percentile(double p) {
        if (isEmpty()) {
            return 0.0;
        }
        double threshold = p * totalWeight;
        double partial = 0;
        int last = weights.length - 1;
        int b = 0;
        for (; b < last; b++) {
            partial += weights[b];
            if (partial >= threshold) {
                break;
            }
        }
        return b < last ? bucketStart(b + 1) : bucketStart(b);
    }

    boolean isEmpty() {
        return totalWeight < EPSILON;
    }

    int bucket(double value) {
        if (value < firstBucketSize) {
            return 0;
        }
        int b = (int) (Math.log(value * (ratio - 1) / firstBucketSize + 1) / Math.log(ratio));
        return Math.min(b, weights.length - 1);
    }

    double bucketStart(int b) {
        return b == 0 ? 0.0 : firstBucketSize * (Math.pow(ratio, b) - 1) / (ratio - 1);
    }

    /** 2^((t - reference) / halfLife): newer samples weigh more, which is the same as older ones decaying. */
    private double decayFactor(long atMs) {
        if (!referenceSet) {
            referenceMs = roundToHalfLife(atMs);
            referenceSet = true;
        }
        if ((double) (atMs - referenceMs) / halfLifeMs > MAX_DECAY_EXPONENT) {
            shiftReference(atMs);
        }
        return Math.pow(2, (double) (atMs - referenceMs) / halfLifeMs);
    }

    private void shiftReference(long atMs) {
        long next = roundToHalfLife(atMs);
        double scale = Math.pow(2, Math.round((double) (referenceMs - next) / halfLifeMs));
        totalWeight = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= scale;
            totalWeight += weights[i];
        }
        referenceMs = next;
    }

    private long roundToHalfLife(long atMs) {
        return Math.round((double) atMs / halfLifeMs) * halfLifeMs;
    }
}
