package io.sair.core.policy;

import io.sair.core.memory.Similarity;
import io.sair.core.model.Allocation;
import io.sair.core.model.Experience;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SAIR without an LLM: among the retrieved episodes, group the executed actions (as per-stage deltas)
 * and pick the one with the best similarity-weighted mean reward, shrunk towards zero when little
 * similar evidence backs it; re-apply its deltas to what runs now. A remembered shrink is repeated
 * only where the rule's {@link Headroom} allows it (memory rewards saving until the next burst finds
 * no room). Under pressure, or when the episodes are too far from the current context (coverage below
 * {@code minCoverage}), the {@link BottleneckRule} decides: it sizes the scale-up to the demand,
 * where a remembered step would be too small.
 */
public final class BuiltinSelector implements Policy {

    private final Similarity similarity;
    private final double minCoverage;
    private final BottleneckRule rule;

    public BuiltinSelector(Similarity similarity, double minCoverage, BottleneckRule rule) {
        this.similarity = similarity;
        this.minCoverage = minCoverage;
        this.rule = rule;
    }

    public static BuiltinSelector defaults() {
        return new BuiltinSelector(Similarity.defaults(), 0.6, BottleneckRule.defaults());
    }

    @Override
    public Proposal propose(PolicyInput in) {
        if (rule.underPressure(in)) {
            return rule.propose(in);
        }
        Optional<Candidate> best = bestEpisodeAction(in);
        if (best.isPresent()) {
            Candidate c = best.get();
            return new Proposal(c.toAction(in.context()), String.format(
                    "repeat the best remembered action (%d similar episodes, weighted reward %+.2f, coverage %.2f)",
                    c.count, c.score(), c.maxSim));
        }
        return rule.propose(in);
    }

    Optional<Candidate> bestEpisodeAction(PolicyInput in) {
        Map<String, Candidate> groups = new LinkedHashMap<>();
        for (Experience e : in.episodes()) {
            double sim = similarity.between(in.features(), e.features());
            Candidate c = groups.computeIfAbsent(signature(e.action()), k -> new Candidate(e.action()));
            c.add(sim, e.reward());
        }
        boolean underPressure = in.context().slaViolated();
        return groups.values().stream()
                // Holding is what the rule does when nothing needs doing; a remembered hold is no
                // evidence for anything, and preferring it froze over-provisioned pipelines.
                .filter(c -> c.deltas.stream().anyMatch(StageTarget::changes))
                .filter(c -> c.maxSim >= minCoverage)
                .filter(c -> c.score() > 0)
                // Under an SLA violation only an action that shrinks nothing may be repeated.
                .filter(c -> !underPressure || !c.shrinks())
                .filter(c -> fitsNow(c.toAction(in.context()), in))
                .max((a, b) -> Double.compare(a.score(), b.score()));
    }

    /**
     * A remembered action fits what runs now: it shrinks a stage only where the headroom allows, and
     * grows one only where the stage's demand is above the target utilisation the rule sizes for. Below
     * it the stage already has its headroom, and a remembered scale-up is spending on evidence from
     * another load, or on a p99 that merely varied: with growth allowed from the idle threshold up, a
     * stage shrunk to, say, 50% grew back on memory, fell below idle and shrank again, every few rounds.
     * Between the idle threshold and the target neither happens. It takes no CPU or memory from a stage:
     * a shrink's reward saw only the window after it, and a vertical step comes back one step per
     * decision, rolling the pods each time (a replica is back within a pod's start-up); the capacity a
     * CPU step takes is the linear model's guess, and a remembered one repeated before a burst left a
     * stage short for several rounds. The rule still takes CPU from an idle stage, after its replicas. Nor does
     * it grow a GPU stage that serves its load within its share of the SLA ({@link WholeGpus#servesWithinShare}),
     * however busy: a batching GPU is busy and serving at once, and on shared GPUs memory's rate raises and
     * replicas, each rewarded once, kept undoing the rule's trims (text generation: 4 GPUs at rate 0.8 and 1.0 in
     * turn, 1,600 times a run).
     */
    private boolean fitsNow(ScalingAction action, PolicyInput in) {
        for (StageAction a : action.stages()) {
            Optional<StageWindow> w = in.context().stage(a.stage());
            Optional<StageSpec> s = in.spec().stage(a.stage());
            if (w.isEmpty() || s.isEmpty()) {
                return false;
            }
            Allocation now = w.get().allocation();
            Allocation after = a.applyTo(now);
            StageKind kind = s.get().kind();
            if (after.cpuMillis() < now.cpuMillis() || after.memoryMb() < now.memoryMb()) {
                return false; // no vertical shrink on memory's evidence (above)
            }
            if (!rule.headroom().allowsMove(in.context(), w.get(), after, in.peaks())
                    || !rule.wholeGpus().permits(in.context(), in.spec(), s.get(), w.get(), after)) {
                return false;
            }
            if (Headroom.grows(kind, now, after) && (rule.headroom().demandUtil(w.get()) <= rule.headroom().targetUtil() + 1e-9
                    || kind == StageKind.GPU
                    && WholeGpus.servesWithinShare(w.get(), WholeGpus.budgetMs(in.context(), in.spec(), w.get())))) {
                return false;
            }
        }
        return true;
    }

    private static String signature(List<StageTarget> action) {
        StringBuilder sb = new StringBuilder();
        for (StageTarget t : action) {
            if (t.changes()) {
                sb.append(t.stage()).append(':').append(t.dReplicas()).append(',').append(t.dCpuMillis()).append(',')
                        .append(t.dMemoryMb()).append(',').append(Math.round(t.dRate() * 100)).append(';');
            }
        }
        return sb.toString();
    }

    @Override
    public String name() {
        return "builtin";
    }

    /** One distinct action among the episodes, with its evidence. */
    static final class Candidate {
        final List<StageTarget> deltas;
        double weight;
        double weightedReward;
        double maxSim;
        int count;

        Candidate(List<StageTarget> deltas) {
            this.deltas = deltas;
        }

        void add(double sim, double reward) {
            weight += sim;
            weightedReward += sim * reward;
            maxSim = Math.max(maxSim, sim);
            count++;
        }

        /** Weighted mean reward, shrunk by the weight of evidence (one fully similar episode = full trust). */
        double score() {
            return weight > 1e-12 ? weightedReward / weight * Math.min(1.0, weight) : 0.0;
        }

        boolean shrinks() {
            return deltas.stream().anyMatch(t -> t.dReplicas() < 0 || t.dCpuMillis() < 0 || t.dMemoryMb() < 0
                    || t.dRate() < -1e-9);
        }

        ScalingAction toAction(PipelineContext ctx) {
            List<StageAction> out = new ArrayList<>();
            for (StageTarget t : deltas) {
                Optional<StageWindow> w = ctx.stage(t.stage());
                if (w.isEmpty() || !t.changes()) {
                    continue;
                }
                Allocation a = w.get().allocation();
                boolean res = t.dCpuMillis() != 0 || t.dMemoryMb() != 0;
                if (t.kind() == StageKind.GPU && Math.abs(t.dRate()) > 1e-9) {
                    out.add(StageAction.rate(t.stage(), a.rate() + t.dRate()));
                    if (t.dReplicas() != 0) {
                        // One action per stage: the rate change wins, replicas follow in a later round if still best.
                        continue;
                    }
                } else if (t.dReplicas() != 0 && res) {
                    out.add(new StageAction(t.stage(), io.sair.core.model.ActionType.SCALE_BOTH,
                            a.replicas() + t.dReplicas(), a.cpuMillis() + t.dCpuMillis(), a.memoryMb() + t.dMemoryMb(), null));
                } else if (t.dReplicas() != 0) {
                    out.add(StageAction.replicas(t.stage(), a.replicas() + t.dReplicas()));
                } else if (res) {
                    out.add(StageAction.resources(t.stage(), a.cpuMillis() + t.dCpuMillis(), a.memoryMb() + t.dMemoryMb()));
                }
            }
            return new ScalingAction(out);
        }
    }
}
