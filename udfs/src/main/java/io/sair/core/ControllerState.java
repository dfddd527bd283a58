package io.sair.core;

import io.sair.core.policy.Headroom;
import io.sair.core.policy.LoadPeak;
import io.sair.core.policy.LoadRise;
import io.sair.core.policy.StageCapacity;
import io.sair.core.explore.ExplorationState;
import io.sair.core.model.Experience;
import io.sair.core.model.PipelineContext;
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
 * @param loadRise how far arrivals rose within a scale-up delay lately (absent in state written before it existed:
 *     none, and the remembered peak alone sets the headroom until a rise is seen)
 * @param capacity what each stage completes per busy second, learned (absent in state written before it existed:
 *     nothing learned, and the fast path sizes on the window in hand until it is)
 */
public record ControllerState(List<Experience> experiences, List<ParetoPoint> frontier, ExplorationState exploration,
                              PendingDecision pending, Cooldowns cooldowns, long nextExperienceId, long lastWindowEnd,
                              LoadPeak loadPeak, LoadRise loadRise, StageCapacity capacity) {

    public ControllerState {
        experiences = List.copyOf(experiences);
        frontier = List.copyOf(frontier);
        cooldowns = cooldowns == null ? Cooldowns.none() : cooldowns;
        loadPeak = loadPeak == null ? LoadPeak.none() : loadPeak;
        loadRise = loadRise == null ? LoadRise.none() : loadRise;
        capacity = capacity == null ? StageCapacity.none() : capacity;
    }

    public ControllerState(List<Experience> experiences, List<ParetoPoint> frontier, ExplorationState exploration,
                           PendingDecision pending, Cooldowns cooldowns, long nextExperienceId, long lastWindowEnd) {
        this(experiences, frontier, exploration, pending, cooldowns, nextExperienceId, lastWindowEnd, LoadPeak.none(),
                LoadRise.none(), StageCapacity.none());
    }

    /**
     * The loads a stage that shrinks in this window must stay ready for: the remembered peak, and the part of it
     * that can arrive within a scale-up delay, bounded by the rise ({@link LoadRise#peakToKeep}); 0 when no peak is
     * known.
     */
    public Headroom.Peaks peaks(PipelineContext ctx) {
        long now = ctx.windowEnd();
        long memory = memoryMs();
        double peak = loadPeak.at(now, memory);
        return new Headroom.Peaks(peak, LoadRise.peakToKeep(peak, ctx.arrivalRate(), loadRise.at(now, memory)));
    }

    /**
     * The half-life of the remembered peak and rise: an hour, or as long as the pipeline's surges have been seen to
     * recur ({@link Cooldowns#recurrenceMs}) where that is longer, up to {@link #LONGEST_MEMORY_MS}. A flash crowd
     * that comes back after three hours finds the capacity the last one needed only if it is remembered that long.
     */
    public long memoryMs() {
        return memoryMs(cooldowns);
    }

    /**
     * The longest half-life (four hours): one gap between two surges is thin evidence, and the surges of a slow
     * daily wave can be a day apart; remembered that long, one spike's rise would be insured for a day.
     */
    public static final long LONGEST_MEMORY_MS = 4 * LoadPeak.DEFAULT_HALF_LIFE_MS;

    /** {@link #memoryMs()} of a state with these cooldowns. */
    public static long memoryMs(Cooldowns cooldowns) {
        return Math.min(LONGEST_MEMORY_MS, Math.max(LoadPeak.DEFAULT_HALF_LIFE_MS, cooldowns.recurrenceMs()));
    }

    public static ControllerState initial(double epsilon) {
        return new ControllerState(List.of(), List.of(), ExplorationState.initial(epsilon), null, Cooldowns.none(), 1,
                Long.MIN_VALUE, LoadPeak.none(), LoadRise.none(), StageCapacity.none());
    }
}
