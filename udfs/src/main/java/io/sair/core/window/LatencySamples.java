package io.sair.core.window;

import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One stage's latencies in one window, with the percentiles its HdrHistogram would give, without the histogram's
 * cost for the few samples a window usually holds (clearing and walking thousands of buckets per window, and
 * windows close by thousands at once). Samples are kept as the histogram records them (us) and sorted once: the
 * histogram's percentile is the highest value equivalent to the sample at the percentile's rank. An encoded
 * histogram from a report, or more than {@link #MAX_SAMPLES} samples, moves the window into a real histogram.
 */
public final class LatencySamples {

    static final int MAX_SAMPLES = 1024;
    /** At most this many samples above a rank: a heap finds it, not a partition. */
    private static final int FEW_ABOVE = 32;
    /** Read only, for its bucket arithmetic (a pure function of the histogram's shape). */
    private static final Histogram SHAPE = LatencyHistograms.empty();

    private long[] us = new long[16];
    private int n;
    /** Allocated at the first spill and kept; in use while {@code spilled}. */
    private Histogram histogram;
    private boolean spilled;

    public void reset() {
        n = 0;
        if (spilled) {
            histogram.reset();
            spilled = false;
        }
    }

    /** A report's latencies: samples in ms (nulls, negatives and non-finite values skipped) and/or a base64 histogram. */
    public void add(List<Double> samplesMs, String b64) {
        if (samplesMs instanceof SampleList list) {
            for (int i = 0; i < list.size(); i++) {
                // k hundredths are k / 100.0 ms, which toUs makes 10 k us (the rounding errors are far below half a
                // microsecond below 2^51 hundredths, and anything above an hour is clamped either way).
                long k = list.hundredths(i);
                if (k >= 0) {
                    record(LatencyHistograms.clampUs(Math.min(k, LatencyHistograms.HIGHEST_US) * 10));
                }
            }
        } else if (samplesMs != null) {
            for (Double ms : samplesMs) {
                if (ms != null && ms >= 0 && Double.isFinite(ms)) {
                    record(LatencyHistograms.toUs(ms));
                }
            }
        }
        if (b64 != null) {
            spill();
            histogram.add(LatencyHistograms.fromBase64(b64));
        }
    }

    private void record(long v) {
        if (!spilled && n == MAX_SAMPLES) {
            spill();
        }
        if (spilled) {
            histogram.recordValue(v);
            return;
        }
        if (n == us.length) {
            us = Arrays.copyOf(us, n * 2);
        }
        us[n++] = v;
    }

    private void spill() {
        if (spilled) {
            return;
        }
        if (histogram == null) {
            histogram = LatencyHistograms.empty();
        }
        for (int i = 0; i < n; i++) {
            histogram.recordValue(us[i]);
        }
        n = 0;
        spilled = true;
    }

    public long count() {
        return spilled ? histogram.getTotalCount() : n;
    }

    /** Percentiles (ascending, each above 0) in ms, NaN when empty: those of {@link LatencyHistograms#percentilesMs}. */
    public double[] percentilesMs(double... ascending) {
        if (spilled) {
            return LatencyHistograms.percentilesMs(histogram, ascending);
        }
        double[] out = new double[ascending.length];
        if (n == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        // The value at each rank, highest rank first, each selected within the part below the last (O(n) each
        // on average, where sorting the window's samples was most of a simulated run's window fold).
        int bound = n;
        for (int i = ascending.length - 1; i >= 0; i--) {
            int k = (int) LatencyHistograms.countAtPercentile(ascending[i], n) - 1;
            if (bound == n && n - k <= FEW_ABOVE) {
                // The top rank (a p99): found without moving the samples, the next rank is selected among all.
                out[i] = SHAPE.highestEquivalentValue(Select.kthOfFewAbove(us, n, k)) / 1000.0;
                continue;
            }
            if (k >= bound) {
                k = bound; // a higher rank already in place at bound (ranks never decrease with the percentile)
            } else {
                Select.kth(us, 0, bound, k);
                bound = k;
            }
            out[i] = SHAPE.highestEquivalentValue(us[k]) / 1000.0;
        }
        return out;
    }
}
