package io.sair.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.window.LatencyHistograms;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PeriodLatenciesTest {

    @Test
    void upToTheLimitAPeriodCarriesSamplesToTwoDecimals() {
        PeriodLatencies p = new PeriodLatencies(3);
        assertThat(p.isEmpty()).isTrue();
        p.add(1.234);
        p.add(5.0);
        p.add(0.005);
        assertThat(p.samples()).containsExactly(1.23, 5.0, 0.01);
        assertThat(p.histogram()).isNull();
    }

    @Test
    void pastTheLimitItCarriesAHistogramOfEveryLatency() {
        PeriodLatencies p = new PeriodLatencies(3);
        Histogram expected = LatencyHistograms.empty();
        for (double ms : new double[] {1.5, 20, 300, 4_000, 7}) {
            p.add(ms);
            LatencyHistograms.recordMs(expected, ms);
        }
        assertThat(p.samples()).isNull();
        Histogram got = LatencyHistograms.fromBase64(p.histogram());
        assertThat(got.getTotalCount()).isEqualTo(5);
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void aResetPeriodStartsEmptyWhateverTheLastOneCarried() {
        PeriodLatencies p = new PeriodLatencies(2);
        for (int i = 0; i < 10; i++) {
            p.add(i);
        }
        p.reset();
        assertThat(p.isEmpty()).isTrue();
        p.add(42);
        assertThat(p.samples()).isEqualTo(List.of(42.0));
        for (int i = 0; i < 3; i++) {
            p.add(i);
        }
        assertThat(LatencyHistograms.fromBase64(p.histogram()).getTotalCount()).isEqualTo(4);
    }
}
