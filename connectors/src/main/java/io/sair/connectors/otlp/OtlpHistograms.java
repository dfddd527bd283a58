package io.sair.connectors.otlp;

import java.util.Arrays;
import org.HdrHistogram.Histogram;
import io.sair.core.window.LatencyHistograms;

/**
 * OTLP histograms as the job's latency histograms (HdrHistogram of microseconds, see LatencyHistograms):
 * each bucket's count is recorded at the bucket's middle, explicit buckets between their bounds (the outer
 * ones between the point's min or max, where a delta point has them, and the nearest bound), exponential
 * buckets at their geometric middle. Percentiles are then as exact as the buckets allow.
 */
final class OtlpHistograms {

    private static final long HIGHEST_US = 3_600_000_000L;

    private OtlpHistograms() {
    }

    /** Milliseconds per unit of a duration metric, or NaN for a unit that is not a time. */
    static double msPer(String unit) {
        return switch (unit == null ? "" : unit) {
            case "s" -> 1000.0;
            case "ms" -> 1.0;
            case "us", "\u00b5s", "\u03bcs" -> 0.001;
            case "ns" -> 0.000001;
            default -> Double.NaN;
        };
    }

    /** Explicit-bucket counts, as deltas of one period. */
    record Explicit(double[] bounds, long[] counts) implements SeriesDeltas.Cumulative<Explicit> {
        @Override
        public Explicit minus(Explicit earlier) {
            if (!Arrays.equals(bounds, earlier.bounds) || counts.length != earlier.counts.length) {
                return null;
            }
            long[] d = new long[counts.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = counts[i] - earlier.counts[i];
                if (d[i] < 0) {
                    return null;
                }
            }
            return new Explicit(bounds, d);
        }

        /** Records the counts into {@code into}; {@code min}/{@code max} (in the metric's unit) may be null. */
        void recordInto(Histogram into, double msPerUnit, Double min, Double max) {
            int n = counts.length;
            for (int i = 0; i < n; i++) {
                if (counts[i] == 0) {
                    continue;
                }
                // Bucket i is (bounds[i-1], bounds[i]]; the outer two are open, so the point's min and max close them.
                double lower = i > 0 ? bounds[i - 1] : min != null ? min : bounds.length > 0 ? Math.min(0, bounds[0]) : 0;
                double upper = i < bounds.length ? bounds[i] : max != null ? Math.max(max, lower) : lower;
                record(into, (lower + upper) / 2 * msPerUnit, counts[i]);
            }
        }
    }

    /** Positive exponential buckets at one scale, plus the zero bucket. */
    record Exponential(int scale, long zeroCount, int offset, long[] counts) implements SeriesDeltas.Cumulative<Exponential> {
        @Override
        public Exponential minus(Exponential earlier) {
            int s = Math.min(scale, earlier.scale);
            Exponential a = downscale(s);
            Exponential b = earlier.downscale(s);
            long zero = a.zeroCount - b.zeroCount;
            if (zero < 0) {
                return null;
            }
            int lo = Math.min(a.offset, b.offset);
            int hi = Math.max(a.offset + a.counts.length, b.offset + b.counts.length);
            long[] d = new long[Math.max(0, hi - lo)];
            for (int k = lo; k < hi; k++) {
                d[k - lo] = a.at(k) - b.at(k);
                if (d[k - lo] < 0) {
                    return null;
                }
            }
            return new Exponential(s, zero, lo, d);
        }

        private long at(int index) {
            int i = index - offset;
            return i >= 0 && i < counts.length ? counts[i] : 0;
        }

        /** The same counts at a coarser scale: bucket {@code k} becomes {@code k >> (scale - s)}. */
        Exponential downscale(int s) {
            if (s >= scale || counts.length == 0) {
                return this;
            }
            int shift = scale - s;
            int lo = offset >> shift;
            int hi = (offset + counts.length - 1) >> shift;
            long[] c = new long[hi - lo + 1];
            for (int i = 0; i < counts.length; i++) {
                c[((offset + i) >> shift) - lo] += counts[i];
            }
            return new Exponential(s, zeroCount, lo, c);
        }

        void recordInto(Histogram into, double msPerUnit) {
            record(into, 0, zeroCount);
            double perIndex = Math.log(2) * Math.pow(2, -scale);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    record(into, Math.exp((offset + i + 0.5) * perIndex) * msPerUnit, counts[i]);
                }
            }
        }
    }

    private static void record(Histogram h, double ms, long count) {
        if (count > 0 && Double.isFinite(ms)) {
            h.recordValueWithCount(Math.max(1, Math.min(HIGHEST_US, Math.round(Math.max(0, ms) * 1000))), count);
        }
    }

    static Histogram empty() {
        return LatencyHistograms.empty();
    }
}
