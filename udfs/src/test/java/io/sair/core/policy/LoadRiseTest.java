package io.sair.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoadRiseTest {

    private static final long HOUR = 3_600_000L;

    /** Thirty-second windows from {@code start}, one rate each. */
    private static LoadRise windows(LoadRise r, long start, double... rates) {
        for (int i = 0; i < rates.length; i++) {
            r = r.observe(rates[i], start + 30_000L * (i + 1), HOUR);
        }
        return r;
    }

    @Test
    void aStepIsMeasuredAgainstTheCalmBeforeIt() {
        // Calm at 70/s, then a step to 250/s that begins in the middle of a window: the half-way window (160/s)
        // does not hide it, which is measured against the calm within the span.
        LoadRise r = windows(LoadRise.none(), 0, 70, 70, 70, 160, 250, 250);
        assertThat(r.rise()).isCloseTo(250 / 70.0, within(1e-9));
        assertThat(r.riseAtMs()).as("the same rise seen again renews it").isEqualTo(180_000L);
    }

    @Test
    void aStepThatTakesTwoMinutesToRiseIsMeasuredWhole() {
        LoadRise r = windows(LoadRise.none(), 0, 100, 100, 150, 200, 250, 300, 300);
        assertThat(r.rise()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void aSlowRampMovesLittleWithinTheSpan() {
        // 4/s to 19/s over half an hour, 0.25/s per 30 s window: within the span the load rises by a third at the
        // trough, although the peak is almost five times the trough.
        double[] ramp = new double[60];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = 4 + 0.25 * i;
        }
        LoadRise r = windows(LoadRise.none(), 0, ramp);
        assertThat(r.rise()).isCloseTo(5.25 / 4.0, within(1e-9));
        assertThat(r.recentEnds()).hasSizeLessThanOrEqualTo((int) (LoadRise.SPAN_MS / 30_000));
    }

    @Test
    void aFallCountsAsMuchAsARiseAndTheMoveFadesTowardsOne() {
        assertThat(windows(LoadRise.none(), 0, 300, 300, 100).rise()).isCloseTo(3.0, within(1e-9));
        LoadRise r = windows(LoadRise.none(), 0, 100, 300);
        assertThat(r.at(60_000 + HOUR, HOUR)).isCloseTo(2.0, within(1e-9));
        assertThat(LoadRise.none().at(0, HOUR)).isEqualTo(1.0);
        assertThat(windows(LoadRise.none(), 0, 100, 100, 100).rise()).isEqualTo(1.0);
    }

    @Test
    void windowsBeyondTheSpanAreNotCompared() {
        LoadRise r = windows(LoadRise.none(), 0, 50, 100, 100, 100, 100, 100, 100);
        assertThat(r.rise()).as("50 -> 100 in one window").isCloseTo(2.0, within(1e-9));
        LoadRise gap = LoadRise.none().observe(50, 30_000, HOUR).observe(100, 30_000 + LoadRise.SPAN_MS + 1, HOUR);
        assertThat(gap.rise()).as("the 50/s window ended more than a span before").isEqualTo(1.0);
    }

    @Test
    void olderOrRepeatedWindowsChangeNothing() {
        LoadRise r = windows(LoadRise.none(), 0, 100, 100);
        assertThat(r.observe(500, 60_000, HOUR)).isEqualTo(r);
        assertThat(r.observe(500, 30_000, HOUR)).isEqualTo(r);
        assertThat(r.observe(Double.NaN, 90_000, HOUR)).isEqualTo(r);
    }

    @Test
    void fromNoArrivalsTheRiseIsBounded() {
        assertThat(windows(LoadRise.none(), 0, 0, 0, 5).rise()).isEqualTo(LoadRise.MAX_RISE);
    }

    @Test
    void thePeakKeptIsBoundedByTheRiseFromTodaysLoad() {
        // A remembered peak of 250/s at 100/s: with a rise of 1.2 the stage keeps room for 120/s.
        assertThat(LoadRise.peakToKeep(250, 100, 1.2)).isCloseTo(120, within(1e-9));
        // A sudden step as high as the peak keeps the peak.
        assertThat(LoadRise.peakToKeep(250, 70, 250 / 70.0)).isCloseTo(250, within(1e-9));
        // No peak known, or no arrivals to scale: the peak as it is.
        assertThat(LoadRise.peakToKeep(0, 100, 3)).isZero();
        assertThat(LoadRise.peakToKeep(250, 0, 3)).isEqualTo(250);
    }
}
