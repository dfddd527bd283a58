package io.sair.sim.plant;

import io.sair.core.window.LatencyHistograms;
import io.sair.core.window.SampleList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One report period's latencies as the report carries them: up to {@code sampleLimit} as samples (ms, two
 * decimals), a histogram beyond. The histogram is filled only once the period has more latencies than that, so a
 * plant whose reports carry samples (the simulator's, in process) records each latency once, not twice.
 */
final class PeriodLatencies {

    private final int sampleLimit;
    private double[] samples = new double[64];
    private int n;
    private Histogram histogram;

    PeriodLatencies(int sampleLimit) {
        this.sampleLimit = sampleLimit;
    }

    void add(double ms) {
        if (n < sampleLimit) {
            if (n == samples.length) {
                samples = Arrays.copyOf(samples, Math.min(sampleLimit, n * 2));
            }
            samples[n++] = ms;
            return;
        }
        if (n == sampleLimit) {
            if (histogram == null) {
                histogram = LatencyHistograms.empty();
            }
            for (int i = 0; i < n; i++) {
                LatencyHistograms.recordMs(histogram, samples[i]);
            }
        }
        LatencyHistograms.recordMs(histogram, ms);
        n++;
    }

    boolean isEmpty() {
        return n == 0;
    }

    /** The samples, or null when the period had more than the limit (it carries {@link #histogram()} then). */
    List<Double> samples() {
        if (n > sampleLimit) {
            return null;
        }
        return SampleList.ofMs(samples, n);
    }

    /** The histogram, base64, or null when the period carries samples. */
    String histogram() {
        return n > sampleLimit ? LatencyHistograms.toBase64(histogram) : null;
    }

    /** The next period starts empty. */
    void reset() {
        if (n > sampleLimit) {
            histogram.reset();
        }
        n = 0;
    }
}
