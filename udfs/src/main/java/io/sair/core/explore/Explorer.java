package io.sair.core.explore;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.PolicySettings;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.BottleneckRule;
import io.sair.core.policy.Headroom;
import io.sair.core.policy.WholeGpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Epsilon-greedy forced probes: LLMs do not explore robustly in context on their own, so with
 * probability epsilon the controller scales one uniformly chosen stage by one feasible step.
 */
public final class Explorer {

    private Explorer() {
    }

    /** Deterministic randomness for a pipeline's round, so a restored job repeats the same choices. */
    public static SplittableRandom random(long seed, long round) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + round);
    }

    public static boolean shouldProbe(ExplorationState s, SplittableRandom rng) {
        return rng.nextDouble() < s.epsilon();
    }

    /** epsilon x decay, not below the floor; the round advances. */
    public static ExplorationState advance(ExplorationState s, PolicySettings p) {
        return new ExplorationState(Math.max(p.epsilonFloor(), s.epsilon() * p.epsilonDecay()), s.round() + 1);
    }

    /**
     * One feasible step on one uniformly chosen stage, or empty when no stage can move. A step down is
     * feasible only where the headroom allows the shrink: a probe must not be the thing that breaks
     * the SLA when the next burst comes.
     */
    public static Optional<ScalingAction> probe(PipelineContext ctx, PipelineSpec spec, SplittableRandom rng,
                                                BottleneckRule rule, Headroom.Peaks peaks) {
        Headroom headroom = rule.headroom();
        List<StageSpec> present = spec.stages().stream().filter(s -> ctx.stage(s.name()).isPresent()).toList();
        if (present.isEmpty()) {
            return Optional.empty();
        }
        StageSpec s = present.get(rng.nextInt(present.size()));
        StageWindow w = ctx.stage(s.name()).get();
        WholeGpus wholeGpus = WholeGpus.on(headroom);
        List<StageAction> moves = feasibleSteps(s, w).stream()
                .filter(m -> headroom.allowsMove(ctx, w, m.applyTo(w.allocation()), peaks))
                // A step up is an experiment only where the step back would be allowed: else every probe up
                // stays, and a stage that the rule keeps just above its target drifts up one probe at a time.
                // Nor on a stage below the rule's idle mark: by the rule's own measure it has capacity to spare, the
                // rule steps it back down as soon as the p99 leaves room, and the episode is of a stage far below
                // its target, where memory repeats no growth. Such a probe paid a replica or a CPU step for a window,
                // again and again on steady load (image poisson: its idle postprocessing probed up and shrunk back
                // 18 times a run).
                .filter(m -> !Headroom.grows(s.kind(), w.allocation(), m.applyTo(w.allocation()))
                        || headroom.demandUtil(w) <= headroom.targetUtil() + 1e-9 && w.utilisation() >= rule.idle())
                // A probe whole GPUs would refuse is a wasted round (a throttle or a GPU nobody needs).
                .filter(m -> wholeGpus.permits(ctx, spec, s, w, m.applyTo(w.allocation())))
                .toList();
        if (moves.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ScalingAction.of(moves.get(rng.nextInt(moves.size()))));
    }

    static List<StageAction> feasibleSteps(StageSpec s, StageWindow w) {
        Allocation a = w.allocation();
        StageLimits l = s.limits();
        List<StageAction> moves = new ArrayList<>();
        if (a.replicas() + 1 <= l.maxReplicas()) {
            moves.add(StageAction.replicas(s.name(), a.replicas() + 1));
        }
        if (a.replicas() - 1 >= Math.max(1, l.minReplicas())) {
            moves.add(StageAction.replicas(s.name(), a.replicas() - 1));
        }
        if (s.kind() == StageKind.GPU) {
            double up = round2(a.rate() + l.rateStep());
            double down = round2(a.rate() - l.rateStep());
            if (up <= l.maxRate() + 1e-9) {
                moves.add(StageAction.rate(s.name(), up));
            }
            if (down >= l.minRate() - 1e-9) {
                moves.add(StageAction.rate(s.name(), down));
            }
        } else {
            for (boolean up : new boolean[] {true, false}) {
                int cpu = l.cpuOneStep(a.cpuMillis(), up);
                if (cpu != a.cpuMillis()) {
                    moves.add(StageAction.resources(s.name(), cpu, null));
                }
            }
        }
        return moves;
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
