package io.sair.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatternsTest {

    private static final long HOUR = 3_600_000;
    private static final long HORIZON = 12 * HOUR;
    private static final double RATE = 80;

    @Test
    void theSameSeedGivesTheSameRatesAndAnotherSeedOthers() {
        for (String name : Patterns.NAMES) {
            RateShape a = Patterns.of(name, RATE, HORIZON, 7);
            RateShape b = Patterns.of(name, RATE, HORIZON, 7);
            RateShape c = Patterns.of(name, RATE, HORIZON, 8);
            int differ = 0;
            for (double t = 0; t < HORIZON; t += 10_000) {
                assertThat(a.rate(t)).as("%s at %.0f s", name, t / 1000).isEqualTo(b.rate(t));
                differ += a.rate(t) != c.rate(t) ? 1 : 0;
            }
            assertThat(differ).as(name).isGreaterThan(100);
        }
    }

    @Test
    void theMeanOverTheRunIsTheAppsRateAndNoRateExceedsTheMax() {
        for (String name : Patterns.NAMES) {
            RateShape s = Patterns.of(name, RATE, HORIZON, 3);
            double sum = 0;
            long n = 0;
            for (double t = 500; t < HORIZON; t += 1000) {
                double r = s.rate(t);
                assertThat(r).isPositive().isLessThanOrEqualTo(s.maxRate() + 1e-9);
                sum += r;
                n++;
            }
            assertThat(sum / n).as(name).isCloseTo(RATE, within(RATE * 0.001));
        }
    }

    @Test
    void flashCrowdsAreTwoToFiveTimesTheBaseRiseWithinTwoMinutesAndAreNotPeriodic() {
        Patterns.Flash f = Patterns.Flash.draw(HORIZON, 11);
        assertThat(f.crowds()).hasSizeGreaterThan(20);
        List<Double> gaps = new ArrayList<>();
        double last = 0;
        for (Patterns.Crowd c : f.crowds()) {
            assertThat(c.height()).isBetween(2.0, 5.0);
            assertThat(c.riseMs()).isBetween(0.0, 120_000.0);
            assertThat(c.holdMs()).isBetween(60_000.0, 300_000.0);
            // At its peak the crowd multiplies the base rate by its height.
            assertThat(f.at(c.startMs() + c.riseMs() + 1)).isGreaterThanOrEqualTo(c.height() - 1e-6);
            gaps.add(c.startMs() - last);
            last = c.startMs();
        }
        double mean = gaps.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double sd = Math.sqrt(gaps.stream().mapToDouble(g -> (g - mean) * (g - mean)).average().orElseThrow());
        assertThat(sd / mean).as("coefficient of variation of the gaps").isGreaterThan(0.5);
        // Heights vary from crowd to crowd.
        assertThat(f.crowds().stream().mapToDouble(Patterns.Crowd::height).max().orElseThrow()
                - f.crowds().stream().mapToDouble(Patterns.Crowd::height).min().orElseThrow()).isGreaterThan(1.5);
    }

    @Test
    void regimesAreStepsThatPersistAtLeastTenMinutes() {
        Patterns.Regime r = Patterns.Regime.draw(HORIZON, 5);
        assertThat(r.ends().length).isGreaterThan(10);
        double prevEnd = 0;
        for (int i = 0; i < r.ends().length - 1; i++) {
            assertThat(r.ends()[i] - prevEnd).isGreaterThanOrEqualTo(10 * 60_000.0);
            // Constant inside the segment, a real step at its end.
            assertThat(r.at(prevEnd + 1)).isEqualTo(r.at(r.ends()[i] - 1));
            assertThat(Math.abs(Math.log(r.at(r.ends()[i]) / r.at(r.ends()[i] - 1)))).isGreaterThan(Math.log(1.2));
            prevEnd = r.ends()[i];
        }
    }

    @Test
    void diurnalIsASmoothDayWithOneSpike() {
        Patterns.Diurnal d = Patterns.Diurnal.draw(HORIZON, 9);
        Patterns.Crowd spike = d.spike();
        assertThat(spike.startMs()).isBetween(0.2 * HORIZON, 0.8 * HORIZON);
        assertThat(spike.height()).isBetween(2.0, 3.0);
        // Night at the start and the end, the peak at mid-run.
        assertThat(d.at(0)).isCloseTo(0.4, within(1e-9));
        assertThat(d.wave(HORIZON / 2.0)).isCloseTo(1.6, within(1e-9));
        // Smooth: away from the spike, a second changes the rate by far less than 0.1%.
        for (double t = 0; t < HORIZON; t += 1000) {
            boolean nearSpike = t >= spike.startMs() - 1000 && t <= spike.endMs() + 1000;
            if (!nearSpike) {
                assertThat(Math.abs(d.at(t + 1000) - d.at(t))).isLessThan(1e-3);
            }
        }
        assertThat(d.at(spike.startMs() + spike.riseMs() + 1)).isCloseTo(
                spike.height() * d.wave(spike.startMs() + spike.riseMs() + 1), within(1e-6));
    }

    @Test
    void scenariosDrawThePatternOverTheRunAndRefuseUnknownNames() {
        var app = AppProfiles.get("image");
        RateShape a = Scenarios.shape(app, "flash", 1_000_000, 42);
        assertThat(a.meanRate()).isEqualTo(app.meanRate());
        assertThat(Scenarios.shape(app, "flash", 1_000_000, 42).rate(3_600_000)).isEqualTo(a.rate(3_600_000));
        assertThat(Scenarios.shape(app, "burst", 1_000_000, 42)).isSameAs(app.burst());
        assertThatThrownBy(() -> Patterns.of("weekly", RATE, HORIZON, 1)).hasMessageContaining("flash");
    }
}
