package io.sair.core.policy.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DecayingHistogramTest {

    private static final long HOUR = 3_600_000;

    @Test
    void bucketsGrowBy5PercentFromTenUnits() {
        DecayingHistogram h = DecayingHistogram.cpuMillicores(HOUR);
        assertThat(h.bucketStart(1)).isEqualTo(10.0, within(1e-9));
        assertThat(h.bucketStart(2)).isEqualTo(20.5, within(1e-9));
        assertThat(h.bucket(9.99)).isZero();
        assertThat(h.bucket(15)).isEqualTo(1);
        assertThat(h.bucket(1e12)).isEqualTo(h.bucket(2e12));
    }

    @Test
    void aPercentileIsTheEndOfItsBucket() {
        DecayingHistogram h = DecayingHistogram.cpuMillicores(HOUR);
        for (int v = 1; v <= 100; v++) {
            h.add(v * 10, 1, 0);
        }
        double p90 = h.percentile(0.9);
        assertThat(p90).isBetween(900.0, 900 * 1.05);
        assertThat(h.percentile(0.5)).isBetween(500.0, 500 * 1.05);
    }

    @Test
    void olderSamplesWeighLessByTheHalfLife() {
        DecayingHistogram h = DecayingHistogram.cpuMillicores(HOUR);
        h.add(100, 1, 0);
        // One half-life later a sample weighs twice as much: 1000 holds 2/3 of the weight.
        h.add(1000, 1, HOUR);
        assertThat(h.percentile(0.3)).isLessThan(200);
        assertThat(h.percentile(0.34)).isGreaterThan(900);
    }

    @Test
    void renormalisingKeepsThePercentiles() {
        DecayingHistogram h = DecayingHistogram.cpuMillicores(1000);
        h.add(100, 1, 0);
        h.add(1000, 1, 0);
        // Far beyond 100 half-lives: weights are rescaled instead of overflowing.
        long later = 500_000;
        h.add(1000, 1, later);
        assertThat(h.isEmpty()).isFalse();
        assertThat(h.percentile(0.01)).isGreaterThan(900);
    }

    @Test
    void emptyAndInvalidSamples() {
        DecayingHistogram h = DecayingHistogram.memoryMb(HOUR);
        h.add(Double.NaN, 1, 0);
        h.add(5, 0, 0);
        assertThat(h.isEmpty()).isTrue();
        assertThat(h.percentile(0.9)).isZero();
    }
}
