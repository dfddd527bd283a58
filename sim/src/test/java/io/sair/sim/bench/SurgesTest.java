package io.sair.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.workload.RateShape;
import java.util.List;
import org.junit.jupiter.api.Test;

class SurgesTest {

    static final double MIN = 60_000;

    @Test
    void everyBurstIsASurgeFromItsStepToItsEnd() {
        // Image burst: 56 rps, 2 min at 200 rps every 10 min from minute 5.
        List<Surges.Surge> s = Surges.find(AppProfiles.image().burst(), 30 * MIN);
        assertThat(s).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(s.get(i).startMs()).isCloseTo((5 + 10 * i) * MIN, within(1_000.0));
            assertThat(s.get(i).endMs()).isCloseTo((7 + 10 * i) * MIN, within(1_000.0));
            assertThat(s.get(i).peakRps()).isCloseTo(200, within(1e-9));
        }
    }

    @Test
    void theRampAndConstantLoadHaveNone() {
        assertThat(Surges.find(AppProfiles.image().ramp(), 240 * MIN)).isEmpty();
        assertThat(Surges.find(AppProfiles.image().poisson(), 240 * MIN)).isEmpty();
    }

    @Test
    void theDiurnalDayHasOnlyItsSpike() {
        RateShape day = Scenarios.shape(AppProfiles.image(), "diurnal", 1_000_000, 42);
        double horizon = 1_000_000 / 80.0 * 1000;
        List<Surges.Surge> s = Surges.find(day, horizon);
        assertThat(s).hasSize(1);
        // The spike rises for 60 s to 2-3x the wave.
        assertThat(s.get(0).peakRps()).isGreaterThan(1.9 * day.rate(s.get(0).startMs()));
        assertThat(s.get(0).startMs()).isBetween(0.2 * horizon - 1_000, 0.8 * horizon);
    }

    @Test
    void everyRegimeSurgeStartsAtAnUpwardStep() {
        RateShape regime = Scenarios.shape(AppProfiles.image(), "regime", 1_000_000, 5);
        List<Surges.Surge> s = Surges.find(regime, 1_000_000 / 80.0 * 1000);
        assertThat(s).isNotEmpty();
        for (Surges.Surge sg : s) {
            assertThat(regime.rate(sg.startMs() + 1_000) / regime.rate(sg.startMs())).isGreaterThanOrEqualTo(1.24);
            assertThat(sg.endMs() - sg.startMs()).isGreaterThanOrEqualTo(10 * MIN - 1_000);
        }
    }

    @Test
    void timeToCapacityIsFromTheStartToTheFirstSampleThatCoversThePeak() {
        List<Surges.Surge> one = List.of(new Surges.Surge(100_000, 200_000, 50));
        double[] t = {95_000, 100_000, 105_000, 110_000, 115_000, 120_000};
        // Covered at 115 s: 15 s.
        Surges.Outcome o = Surges.timeToCapacity(one, t, new double[] {20, 20, 30, 40, 50, 60});
        assertThat(o.meanSecondsToCapacity()).isEqualTo(15.0);
        assertThat(o.uncovered()).isZero();
        // Already there before the start: 0.
        assertThat(Surges.timeToCapacity(one, t, new double[] {50, 50, 50, 50, 50, 50}).meanSecondsToCapacity())
                .isZero();
        // Never covered before the end: counted with the surge's length, and as not covered.
        Surges.Outcome never = Surges.timeToCapacity(one, t, new double[] {20, 20, 20, 20, 20, 20});
        assertThat(never.meanSecondsToCapacity()).isEqualTo(100.0);
        assertThat(never.uncovered()).isEqualTo(1);
        assertThat(Surges.timeToCapacity(List.of(), t, new double[6]).surges()).isZero();
    }
}
