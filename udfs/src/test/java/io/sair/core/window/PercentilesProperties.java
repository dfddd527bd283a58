package io.sair.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The one-walk percentiles and those of kept samples are HdrHistogram's own, value for value, for latencies as reports carry them. */
class PercentilesProperties {

    @Property(tries = 500)
    void oneWalkGivesWhatGetValueAtPercentileGives(
            @ForAll @Size(min = 1, max = 300) List<@DoubleRange(min = 0.0, max = 3_700_000.0) Double> samplesMs,
            @ForAll @IntRange(min = 0, max = 3) int merged) {
        Histogram h = LatencyHistograms.empty();
        LatencyHistograms.add(h, samplesMs, null);
        for (int i = 0; i < merged; i++) {
            // Reports may carry encoded histograms too: merged ones must walk the same.
            LatencyHistograms.add(h, null, LatencyHistograms.toBase64(h));
        }
        double[] p = LatencyHistograms.percentilesMs(h, 50, 90, 99, 99.9, 100);
        assertThat(p).containsExactly(LatencyHistograms.percentileMs(h, 50), LatencyHistograms.percentileMs(h, 90),
                LatencyHistograms.percentileMs(h, 99), LatencyHistograms.percentileMs(h, 99.9),
                LatencyHistograms.percentileMs(h, 100));
    }

    @Property(tries = 500)
    void samplesGiveTheHistogramsPercentiles(
            @ForAll @Size(max = 300) List<@DoubleRange(min = -1.0, max = 3_700_000.0) Double> samplesMs,
            @ForAll boolean withEncodedHistogram, @ForAll @IntRange(min = 0, max = 3) int resetsBefore,
            @ForAll boolean inProcess) {
        LatencySamples s = new LatencySamples();
        for (int i = 0; i < resetsBefore; i++) {
            // A fold is reused from window to window: what the last window held must not count.
            s.add(List.of(5.0, 900.0), i == 0 ? null : LatencyHistograms.toBase64(LatencyHistograms.empty()));
            s.reset();
        }
        Histogram h = LatencyHistograms.empty();
        // In process (the simulator) the samples come as a SampleList, with two decimals as a report's; through Kafka,
        // as any list.
        List<Double> sent = inProcess
                ? SampleList.ofMs(samplesMs.stream().mapToDouble(Double::doubleValue).toArray(), samplesMs.size())
                : samplesMs;
        s.add(sent, null);
        LatencyHistograms.add(h, new java.util.ArrayList<>(sent), null);
        if (withEncodedHistogram) {
            Histogram other = LatencyHistograms.empty();
            LatencyHistograms.recordMs(other, 42.0);
            LatencyHistograms.recordMs(other, 4_200.0);
            s.add(List.of(1.0), LatencyHistograms.toBase64(other));
            LatencyHistograms.add(h, List.of(1.0), LatencyHistograms.toBase64(other));
        }
        assertThat(s.count()).isEqualTo(h.getTotalCount());
        assertThat(s.percentilesMs(50, 99)).containsExactly(LatencyHistograms.percentileMs(h, 50),
                LatencyHistograms.percentileMs(h, 99));
        // Asked again, and for ranks that coincide (selection reorders the samples in place).
        assertThat(s.percentilesMs(1, 50, 50, 90, 99, 99.9, 100)).containsExactly(LatencyHistograms.percentileMs(h, 1),
                LatencyHistograms.percentileMs(h, 50), LatencyHistograms.percentileMs(h, 50),
                LatencyHistograms.percentileMs(h, 90), LatencyHistograms.percentileMs(h, 99),
                LatencyHistograms.percentileMs(h, 99.9), LatencyHistograms.percentileMs(h, 100));
    }

    @Test
    void moreSamplesThanKeptGoToAHistogramWithTheSamePercentiles() {
        LatencySamples s = new LatencySamples();
        Histogram h = LatencyHistograms.empty();
        for (int i = 0; i < LatencySamples.MAX_SAMPLES * 3; i++) {
            double ms = (i * 7919 % 5000) / 10.0;
            s.add(List.of(ms), null);
            LatencyHistograms.recordMs(h, ms);
        }
        assertThat(s.count()).isEqualTo(h.getTotalCount());
        assertThat(s.percentilesMs(50, 99)).containsExactly(LatencyHistograms.percentileMs(h, 50),
                LatencyHistograms.percentileMs(h, 99));
    }

    @Test
    void anEmptyHistogramHasNone() {
        assertThat(LatencyHistograms.percentilesMs(LatencyHistograms.empty(), 50, 99)).containsExactly(Double.NaN, Double.NaN);
    }

    @Test
    void aResetHistogramWalksOnlyWhatCameAfter() {
        Histogram h = LatencyHistograms.empty();
        LatencyHistograms.recordMs(h, 900);
        h.reset();
        LatencyHistograms.recordMs(h, 5);
        LatencyHistograms.recordMs(h, 7);
        assertThat(LatencyHistograms.percentilesMs(h, 50, 99)).containsExactly(LatencyHistograms.percentileMs(h, 50),
                LatencyHistograms.percentileMs(h, 99));
    }
}
