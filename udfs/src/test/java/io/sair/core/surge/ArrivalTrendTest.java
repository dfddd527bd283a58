package io.sair.core.surge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The arrival trend the fast path projects: a rise that is a line, never a step or noise. */
class ArrivalTrendTest {

    static final long HORIZON = 30_000;

    static ArrivalTrend periods(long firstEnd, long step, double... rates) {
        ArrivalTrend t = ArrivalTrend.none();
        for (int i = 0; i < rates.length; i++) {
            t = t.observe(firstEnd + i * step, rates[i], step / 1000.0);
        }
        return t;
    }

    @Test
    void aFlashCrowdRisingForAMinuteIsProjectedOverTheHorizon() {
        // The image benchmark's second flash crowd, 5 s periods: 101.8, 109.4, 117.0, 131.6 requests/s (+2/s).
        double g = periods(4_090_000, 5_000, 101.8, 109.4, 117.0, 131.6).growth(HORIZON);
        // Cautious (the slope less two standard errors, and the newest three alone), it still projects a sixth more.
        assertThat(g).isBetween(1.1, 1.5);
        // The load 30 s later was 158-172/s: the projection stays below what came.
        assertThat(131.6 * g).isLessThan(165);
    }

    @Test
    void aStepIsNoTrendNeitherAtItsOnsetNorAfter() {
        // A burst from 40/s to 140/s: at the step, and with the level held after it.
        assertThat(periods(0, 5_000, 40, 41, 39, 140).growth(HORIZON)).isEqualTo(1.0);
        assertThat(periods(0, 5_000, 40, 140, 139, 141).growth(HORIZON)).isEqualTo(1.0);
        // Few requests (video: a dozen a period) fit many lines; a step then a level is still none.
        assertThat(periods(0, 5_000, 1.6, 10.0, 10.0, 12.0).growth(HORIZON)).isEqualTo(1.0);
    }

    @Test
    void steadyLoadProjectsNothingBeyondNoise() {
        SplittableRandom rng = new SplittableRandom(11);
        int projected = 0;
        double largest = 1.0;
        ArrivalTrend t = ArrivalTrend.none();
        for (int i = 0; i < 10_000; i++) {
            // 5 s Poisson counts around 300 (60/s).
            double count = Math.max(0, Math.round(300 + Math.sqrt(300) * rng.nextGaussian()));
            t = t.observe(i * 5_000L, count / 5.0, 5.0);
            double g = t.growth(HORIZON);
            projected += g > 1.0 ? 1 : 0;
            largest = Math.max(largest, g);
        }
        // Two standard errors and two fits: a chance "rise" in well under 5 % of periods, and a small one.
        assertThat(projected).isLessThan(500);
        assertThat(largest).isLessThan(1.5);
    }

    @Test
    void fewerPeriodsThanAFitOrAGapLongerThanARoundProjectNothing() {
        assertThat(periods(0, 5_000, 50, 100, 150).growth(HORIZON)).isEqualTo(1.0);
        assertThat(periods(0, 20_000, 50, 100, 150, 200).growth(HORIZON)).isEqualTo(1.0);
        // One period skipped (the one that ends with a round) is still a fit.
        ArrivalTrend skipped = ArrivalTrend.none().observe(0, 100, 5).observe(5_000, 110, 5).observe(15_000, 130, 5)
                .observe(20_000, 140, 5);
        assertThat(skipped.growth(HORIZON)).isGreaterThan(1.0);
    }

    @Test
    void olderOrRepeatedPeriodsChangeNothing() {
        ArrivalTrend t = periods(0, 5_000, 100, 110, 120, 130);
        assertThat(t.observe(15_000, 500, 5)).isEqualTo(t);
        assertThat(t.observe(10_000, 500, 5)).isEqualTo(t);
        assertThat(t.observe(20_000, 140, 5).rates()).containsExactly(110, 120, 130, 140);
        assertThat(t.growth(HORIZON)).isCloseTo(periods(5_000, 5_000, 100, 110, 120, 130).growth(HORIZON), within(1e-12));
    }
}
