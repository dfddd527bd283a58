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

/** The one-walk percentiles are HdrHistogram's own, value for value, for samples as reports carry them. */
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
