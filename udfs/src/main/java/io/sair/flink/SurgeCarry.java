package io.sair.flink;

import io.sair.core.ControllerState;
import io.sair.core.Round;
import io.sair.core.policy.LoadPeak;
import io.sair.core.validate.Cooldowns;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries the fast path's marks into a round that was begun before them. A round whose LLM call is in flight
 * holds the state of its window; a surge meanwhile writes its cooldowns, its hold and its load peak to the
 * stored state. Finishing the round from its own (older) state would drop them, and the round's decision
 * could then release the capacity the surge just added. So the round finishes on its state with the newer
 * marks merged in: the validator holds what the surge added, and the state kept afterwards still has them.
 */
final class SurgeCarry {

    private SurgeCarry() {
    }

    /** The round with {@code latest}'s cooldowns and load peak merged into its state; the round itself when none. */
    static Round carry(Round round, ControllerState latest) {
        if (latest == null) {
            return round;
        }
        ControllerState s = round.state();
        Cooldowns cooldowns = merge(s.cooldowns(), latest.cooldowns());
        ControllerState merged = new ControllerState(s.experiences(), s.frontier(), s.exploration(), s.pending(),
                cooldowns, s.nextExperienceId(), s.lastWindowEnd(),
                higher(s.loadPeak(), latest.loadPeak(), ControllerState.memoryMs(cooldowns)), s.loadRise(), s.capacity());
        return new Round(merged, round.context(), round.spec(), round.previousReward(), round.bottleneck(),
                round.saturated(), round.features(), round.episodes(), round.probe(), round.previousP99Ms());
    }

    /** The later time per key of both (times only grow, so this loses neither's marks). */
    static Cooldowns merge(Cooldowns a, Cooldowns b) {
        return new Cooldowns(later(a.lastUp(), b.lastUp()), later(a.lastDown(), b.lastDown()));
    }

    private static Map<String, Long> later(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new HashMap<>(a);
        b.forEach((k, t) -> out.merge(k, t, Math::max));
        return out;
    }

    /** The peak that is higher once both are faded (with this half-life) to the later of their times. */
    static LoadPeak higher(LoadPeak a, LoadPeak b, long halfLifeMs) {
        long at = Math.max(a.atMs(), b.atMs());
        return b.at(at, halfLifeMs) > a.at(at, halfLifeMs) ? b : a;
    }
}
