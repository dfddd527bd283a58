package io.sair.core.window;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Latency histograms as mergeable bytes: HdrHistogram in microseconds (1 us to 1 h, 2 significant
 * digits), compressed. Stage reports may carry one base64-encoded, windows merge them.
 */
public final class LatencyHistograms {

    static final long HIGHEST_US = 3_600_000_000L;

    private LatencyHistograms() {
    }

    public static Histogram empty() {
        return new Histogram(1, HIGHEST_US, 2);
    }

    public static void recordMs(Histogram h, double ms) {
        if (ms >= 0 && Double.isFinite(ms)) {
            h.recordValue(toUs(ms));
        }
    }

    /** A latency in ms as the histograms record it: whole microseconds within their range. */
    static long toUs(double ms) {
        return clampUs(Math.round(ms * 1000));
    }

    /** Whole microseconds within the histograms' range. */
    static long clampUs(long us) {
        return Math.max(1, Math.min(HIGHEST_US, us));
    }

    /** How many of {@code total} values lie at or below a percentile, as HdrHistogram's getValueAtPercentile counts. */
    static long countAtPercentile(double percentile, long total) {
        // One ulp below, as HdrHistogram does, so that rounding cannot overshoot into the next bucket.
        double p = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
        return Math.max(1, (long) Math.ceil(p * total / 100.0));
    }

    /** Adds a report's latencies, as samples (ms; nulls and negatives skipped) and/or a base64 histogram, to {@code into}. */
    public static void add(Histogram into, List<Double> samplesMs, String b64) {
        if (samplesMs != null) {
            samplesMs.forEach(v -> recordMs(into, v == null ? -1 : v));
        }
        if (b64 != null) {
            into.add(fromBase64(b64));
        }
    }

    public static byte[] encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        byte[] out = new byte[n];
        buf.flip();
        buf.get(out);
        return out;
    }

    /** Decodes; throws IllegalArgumentException for bytes that are not a histogram. */
    public static Histogram decode(byte[] bytes) {
        try {
            Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
            Histogram bounded = empty();
            bounded.add(h);
            return bounded;
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded HdrHistogram: " + e.getMessage(), e);
        }
    }

    public static String toBase64(Histogram h) {
        return Base64.getEncoder().encodeToString(encode(h));
    }

    public static Histogram fromBase64(String b64) {
        try {
            return decode(Base64.getDecoder().decode(b64));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("latency histogram: " + e.getMessage(), e);
        }
    }

    /** Percentile in ms, NaN for an empty histogram. */
    public static double percentileMs(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
    }

    /**
     * Several percentiles (ascending, each above 0) in ms, NaN for an empty histogram: the same values as
     * {@link Histogram#getValueAtPercentile} in one walk from the lowest recorded value, where each of its
     * calls walks the whole histogram from 0 (a window's fold asks for three, and windows close by thousands).
     */
    public static double[] percentilesMs(Histogram h, double... ascending) {
        double[] out = new double[ascending.length];
        long total = h.getTotalCount();
        if (total == 0) {
            java.util.Arrays.fill(out, Double.NaN);
            return out;
        }
        long[] counts = new long[ascending.length];
        for (int i = 0; i < ascending.length; i++) {
            counts[i] = countAtPercentile(ascending[i], total);
        }
        int k = 0;
        long seen = h.getCountAtValue(0);
        long v = h.lowestEquivalentValue(Math.min(h.getMinNonZeroValue(), h.getMaxValue()));
        if (seen >= counts[0]) {
            v = 0;
        } else {
            seen += h.getCountAtValue(v);
        }
        while (true) {
            while (k < counts.length && seen >= counts[k]) {
                out[k++] = h.highestEquivalentValue(v) / 1000.0;
            }
            if (k == counts.length || v >= h.getMaxValue()) {
                break;
            }
            v = h.nextNonEquivalentValue(v);
            seen += h.getCountAtValue(v);
        }
        return out;
    }
}
