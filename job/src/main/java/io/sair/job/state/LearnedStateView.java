package io.sair.job.state;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sair.core.ControllerState;
import io.sair.core.PendingDecision;
import io.sair.core.model.Experience;
import io.sair.core.model.PolicySettings;
import io.sair.core.model.StageTarget;
import io.sair.core.policy.LoadPeak;
import io.sair.core.policy.LoadRise;
import io.sair.core.policy.StageCapacity;
import io.sair.core.reward.ParetoFrontier;
import io.sair.core.reward.ParetoPoint;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The learned state of one pipeline as {@code ./sair state} shows it; its JSON form is the stable
 * machine output ({@code --json}), so fields are only ever added.
 *
 * @param experiences how many episodes the buffer holds
 * @param topEpisodes the best episodes by reward, best first
 * @param exploration null when no round was decided yet
 * @param load the load the headroom check keeps a stage ready for (null when no round was decided yet)
 * @param capacity per stage, the requests it was seen to complete per busy second per core (CPU) or per GPU at rate
 *     1.0, learned from the rounds (stages with nothing learned yet are left out; null when no round was decided yet)
 */
@JsonPropertyOrder({"pipeline", "experiences", "topEpisodes", "frontier", "hypervolume", "exploration", "pending",
    "lastWindowEnd", "nextExperienceId", "cooldowns", "load", "capacity"})
public record LearnedStateView(String pipeline, int experiences, List<Episode> topEpisodes, List<ParetoPoint> frontier,
                               double hypervolume, Exploration exploration, Pending pending, Long lastWindowEnd,
                               long nextExperienceId, Cooldowns cooldowns, Load load, Map<String, Double> capacity) {

    /** One remembered episode: when, how good, and the executed action. */
    @JsonPropertyOrder({"id", "windowEnd", "reward", "p99Ms", "latencyObjective", "costObjective", "action"})
    public record Episode(long id, long windowEnd, double reward, double p99Ms, double latencyObjective,
                          double costObjective, List<StageTarget> action) {
    }

    /** The exploration rate now and the settings (from the pipeline's spec) that drive it. */
    @JsonPropertyOrder({"round", "epsilon", "epsilonDecay", "epsilonFloor", "seed"})
    public record Exploration(long round, double epsilon, Double epsilonDecay, Double epsilonFloor, Long seed) {
    }

    /** The last decision, waiting for the next window to be rewarded. */
    @JsonPropertyOrder({"decisionId", "windowEnd", "p99Ms", "costPerHour"})
    public record Pending(String decisionId, long windowEnd, double p99Ms, double costPerHour) {
    }

    /** Event time of the last scale-up and scale-down per {@code stage/dimension}. */
    @JsonPropertyOrder({"lastUp", "lastDown"})
    public record Cooldowns(Map<String, Long> lastUp, Map<String, Long> lastDown) {
    }

    /**
     * The remembered peak arrival rate and the largest move of arrivals within a scale-up delay, as stored (each
     * fades with its age, by {@code halfLifeMs}: one hour, or the gap between the pipeline's last two surge episodes
     * where that is longer, at most four hours, {@code ControllerState.memoryMs}); null times: none seen.
     */
    @JsonPropertyOrder({"peakRate", "peakAt", "rise", "riseAt", "halfLifeMs"})
    public record Load(double peakRate, Long peakAt, double rise, Long riseAt, long halfLifeMs) {

        static Load of(LoadPeak peak, LoadRise rise, long halfLifeMs) {
            return new Load(peak.rate(), peak.atMs() == Long.MIN_VALUE ? null : peak.atMs(), rise.rise(),
                    rise.riseAtMs() == Long.MIN_VALUE ? null : rise.riseAtMs(), halfLifeMs);
        }
    }

    /** The view of {@code p}, keeping the {@code top} best episodes (all when top is 0). */
    public static LearnedStateView of(PipelineState p, int top) {
        ControllerState s = p.state();
        PolicySettings policy = p.spec() == null ? null : p.spec().policy();
        if (s == null) {
            return new LearnedStateView(p.pipeline(), 0, List.of(), List.of(), 0.0, null, null, null, 0, null, null, null);
        }
        List<Episode> best = s.experiences().stream()
                .sorted(Comparator.comparingDouble(Experience::reward).reversed().thenComparingLong(Experience::id))
                .limit(top == 0 ? Long.MAX_VALUE : top)
                .map(e -> new Episode(e.id(), e.windowEnd(), e.reward(), e.p99Ms(), e.latencyObjective(),
                        e.costObjective(), e.action()))
                .toList();
        Exploration exploration = new Exploration(s.exploration().round(), s.exploration().epsilon(),
                policy == null ? null : policy.epsilonDecay(), policy == null ? null : policy.epsilonFloor(),
                policy == null ? null : policy.seed());
        PendingDecision pd = s.pending();
        Pending pending = pd == null ? null : new Pending(pd.decisionId(), pd.windowEnd(), pd.p99Ms(), pd.costPerHour());
        return new LearnedStateView(p.pipeline(), s.experiences().size(), best, s.frontier(),
                new ParetoFrontier(s.frontier()).hypervolume(), exploration, pending,
                s.lastWindowEnd() == Long.MIN_VALUE ? null : s.lastWindowEnd(), s.nextExperienceId(),
                new Cooldowns(new TreeMap<>(s.cooldowns().lastUp()), new TreeMap<>(s.cooldowns().lastDown())),
                Load.of(s.loadPeak(), s.loadRise(), s.memoryMs()), learned(s.capacity()));
    }

    private static Map<String, Double> learned(StageCapacity c) {
        Map<String, Double> out = new TreeMap<>();
        for (int i = 0; i < c.stages().length; i++) {
            if (c.perUnit()[i] > 0) {
                out.put(c.stages()[i], c.perUnit()[i]);
            }
        }
        return out;
    }
}
