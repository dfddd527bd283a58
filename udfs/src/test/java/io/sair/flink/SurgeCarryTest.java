package io.sair.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.ControllerState;
import io.sair.core.policy.LoadPeak;
import io.sair.core.validate.Cooldowns;
import org.junit.jupiter.api.Test;

/** What a round whose LLM call was in flight keeps of the surges that came meanwhile. */
class SurgeCarryTest {

    static final long HOUR = 3_600_000L;

    @Test
    void theHigherPeakIsJudgedWithThePipelinesMemory() {
        LoadPeak earlier = new LoadPeak(200, 0);
        LoadPeak later = new LoadPeak(80, 2 * HOUR);
        // An hour's half-life leaves 50/s of the earlier crowd by the later window: the later peak is higher.
        assertThat(SurgeCarry.higher(earlier, later, HOUR)).isEqualTo(later);
        // Where surges recur every four hours, 141/s of it is left: the earlier crowd is what to be ready for.
        Cooldowns recurring = Cooldowns.none().surged("pre", 0).surged("pre", 4 * HOUR);
        assertThat(SurgeCarry.higher(earlier, later, ControllerState.memoryMs(recurring))).isEqualTo(earlier);
    }

    @Test
    void mergedCooldownsKeepBothSidesSurgeEpisodes() {
        Cooldowns round = Cooldowns.none().surged("pre", 0);
        Cooldowns latest = round.surged("pre", 3 * HOUR);
        assertThat(SurgeCarry.merge(round, latest).recurrenceMs()).isEqualTo(3 * HOUR);
    }
}
