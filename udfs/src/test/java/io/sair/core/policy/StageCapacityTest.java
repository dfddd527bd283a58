package io.sair.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageCapacityTest {

    static PipelineContext round(long end, Allocation a, long completions, double busy) {
        StageWindow w = new StageWindow("p", "pre", StageKind.CPU, end - 30_000, end, 6, a, completions, completions, 0, 0,
                busy, 0.3, 0.0, 10, 40, Double.NaN, 0);
        return new PipelineContext("p", end, List.of(w), List.of(), 80, 200, completions / 30.0, 1, 1, 10);
    }

    /**
     * A window teaches the stage's rate per core only once its allocation has held for the windows before it (the
     * pods a decision ordered have had a start-up's time to serve), and the rate is what completed per busy second.
     */
    @Test
    void learnsTheRatePerCoreOnlyFromWindowsWhoseAllocationHasSettled() {
        Allocation twoCores = new Allocation(2, 1000, 1024, 1.0);
        StageCapacity c = StageCapacity.none();
        c = c.observe(round(30_000, twoCores, 1200, 0.5));
        c = c.observe(round(60_000, twoCores, 1200, 0.5));
        assertThat(c.perUnit("pre")).as("two windows at one allocation").isZero();
        c = c.observe(round(90_000, twoCores, 1200, 0.5));
        // 1200 in 30 s at half busy on 2 cores: 40 per busy second per core.
        assertThat(c.perUnit("pre")).isCloseTo(40.0, within(1e-9));
        // A new allocation teaches nothing until it has settled; the rate learned stays.
        Allocation fourCores = new Allocation(2, 2000, 1024, 1.0);
        c = c.observe(round(120_000, fourCores, 600, 0.1));
        c = c.observe(round(150_000, fourCores, 600, 0.1));
        assertThat(c.perUnit("pre")).isCloseTo(40.0, within(1e-9));
        c = c.observe(round(180_000, fourCores, 2400, 0.4));
        // 2400 / (30 x 0.4 x 4) = 50: a moving mean, 0.8 x 40 + 0.2 x 50.
        assertThat(c.perUnit("pre")).isCloseTo(42.0, within(1e-9));
        assertThat(c.perUnit("other")).isZero();
    }

    @Test
    void aNearlyIdleWindowTeachesNothing() {
        Allocation a = new Allocation(1, 1000, 1024, 1.0);
        StageCapacity c = StageCapacity.none();
        for (long end = 30_000; end <= 300_000; end += 30_000) {
            c = c.observe(round(end, a, 100, 0.05));
        }
        assertThat(c.perUnit("pre")).isZero();
    }
}
