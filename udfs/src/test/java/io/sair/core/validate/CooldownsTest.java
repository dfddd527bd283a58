package io.sair.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A stage's surge episodes, and how often they recur (how long the controller remembers a peak). */
class CooldownsTest {

    static final long MIN = 60_000;
    static final long HOUR = 60 * MIN;

    @Test
    void surgesWithinTheHoldAreOneEpisode() {
        Cooldowns c = Cooldowns.none().surged("pre", 10 * MIN).surged("pre", 10 * MIN + 5_000)
                .surged("pre", 10 * MIN + ValidationRules.SURGE_HOLD_MS - 1);
        assertThat(c.recurrenceMs()).isZero();
        assertThat(c.lastSurge("pre")).isEqualTo(10 * MIN + ValidationRules.SURGE_HOLD_MS - 1);
    }

    @Test
    void theRecurrenceIsTheGapBetweenTheStartsOfTheLastTwoEpisodes() {
        Cooldowns c = Cooldowns.none().surged("pre", HOUR).surged("pre", HOUR + 30_000)
                .surged("pre", 4 * HOUR).surged("pre", 4 * HOUR + 20_000);
        assertThat(c.recurrenceMs()).isEqualTo(3 * HOUR);
        // The next episode an hour later: the latest gap counts, not the longest ever seen.
        assertThat(c.surged("pre", 5 * HOUR).recurrenceMs()).isEqualTo(HOUR);
    }

    @Test
    void theLongestOfTheStagesLatestGapsCounts() {
        Cooldowns c = Cooldowns.none().surged("pre", 0).surged("pre", HOUR).surged("inf", HOUR).surged("inf", 3 * HOUR);
        assertThat(c.recurrenceMs()).isEqualTo(2 * HOUR);
        // A stage the spec drops takes its episodes with it.
        assertThat(c.retainStages(Set.of("pre")).recurrenceMs()).isEqualTo(HOUR);
        assertThat(c.retainStages(Set.of("post")).recurrenceMs()).isZero();
    }

    @Test
    void roundsScaleUpsAreNoSurges() {
        Cooldowns c = Cooldowns.none().record("pre", Dimension.REPLICAS, true, 0).record("pre", Dimension.REPLICAS, true,
                3 * HOUR);
        assertThat(c.recurrenceMs()).isZero();
    }
}
