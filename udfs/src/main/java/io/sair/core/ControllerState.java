package io.sair.core;

import io.sair.core.policy.LoadPeak;
import io.sair.core.explore.ExplorationState;
import io.sair.core.model.Experience;
import io.sair.core.reward.ParetoPoint;
import io.sair.core.validate.Cooldowns;
import java.util.List;

/**
 * Everything the controller learns and remembers about one pipeline; the Flink job keeps it in
 * keyed state. Immutable: every round returns a new one.
 *
 * @param pending the last decision, not yet rewarded (null before the first round)
 * @param lastWindowEnd the newest window decided on; older or repeated windows are ignored
 * @param loadPeak the recent peak arrival rate (absent in state written before it existed: none)
 */
public record ControllerState(List<Experience> experiences, List<ParetoPoint> frontier, ExplorationState exploration,
                              PendingDecision pending, Cooldowns cooldowns, long nextExperienceId, long lastWindowEnd,
                              LoadPeak loadPeak) {

    public ControllerState {
        experiences = List.copyOf(experiences);
        frontier = List.copyOf(frontier);
        cooldowns = cooldowns == null ? Cooldowns.none() : cooldowns;
        loadPeak = loadPeak == null ? LoadPeak.none() : loadPeak;
    }

    public ControllerState(List<Experience> experiences, List<ParetoPoint> frontier, ExplorationState exploration,
                           PendingDecision pending, Cooldowns cooldowns, long nextExperienceId, long lastWindowEnd) {
        this(experiences, frontier, exploration, pending, cooldowns, nextExperienceId, lastWindowEnd, LoadPeak.none());
    }

    public static ControllerState initial(double epsilon) {
        return new ControllerState(List.of(), List.of(), ExplorationState.initial(epsilon), null, Cooldowns.none(), 1,
                Long.MIN_VALUE, LoadPeak.none());
    }
}
