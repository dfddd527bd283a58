package io.sair.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfidenceTest {

    @Test
    void halfWidthIsStudentsTTimesTheStandardError() {
        // mean 2, sample sd 1, n 3: t(0.975, 2) = 4.303, 4.303 / sqrt(3).
        assertThat(Confidence.halfWidth95(new double[] {1, 2, 3})).isCloseTo(4.303 / Math.sqrt(3), within(1e-9));
        // n 2: t(0.975, 1) = 12.706; sd = sqrt(2) x 0.5.
        assertThat(Confidence.halfWidth95(new double[] {10, 11})).isCloseTo(12.706 * Math.sqrt(0.5) / Math.sqrt(2),
                within(1e-9));
        assertThat(Confidence.halfWidth95(new double[] {5, 5, 5})).isZero();
        assertThat(Confidence.halfWidth95(new double[] {5})).isNaN();
    }

    @Test
    void largeSamplesErrWide() {
        assertThat(Confidence.t975(30)).isEqualTo(2.042);
        assertThat(Confidence.t975(35)).isEqualTo(2.042);
        assertThat(Confidence.t975(99)).isEqualTo(2.000).isGreaterThan(1.96);
    }
}
