package io.sair.core.policy;

import io.sair.core.model.ActionType;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rule the built-in selector falls back on when memory is thin or the pipeline is under
 * pressure: under SLA pressure size the bottleneck stages to their demand at the target utilisation
 * (GPU: rate first, it acts at once; then replicas); well under the SLA shrink the most idle stage by
 * one step, only where the {@link Headroom} says the shrink leaves enough room; otherwise hold.
 *
 * @param pressure p99/SLA at or above which the pipeline is under pressure (0.9)
 * @param slack p99/SLA below which there is room to save (0.5)
 * @param idle utilisation below which a stage counts as idle (0.4)
 * @param headroom the capacity arithmetic and its guards
 */
public record BottleneckRule(double pressure, double slack, double idle, Headroom headroom) {

    public static BottleneckRule defaults() {
        return new BottleneckRule(0.9, 0.5, 0.4, Headroom.defaults());
    }

    /** Under pressure: p99 near the SLA, a saturated stage with p99 past the slack mark, or a backlog building. */
    public boolean underPressure(PolicyInput in) {
        double ratio = ratio(in.context());
        return ratio >= pressure || !in.saturated().isEmpty() && ratio >= slack
                || in.context().stages().stream().anyMatch(Headroom::inTrouble);
    }

    public Proposal propose(PolicyInput in) {
        double ratio = ratio(in.context());
        if (underPressure(in)) {
            return scaleUp(in, ratio);
        }
        if (ratio < slack) {
            return scaleDown(in, ratio);
        }
        return Proposal.none(String.format("p99 at %.0f%% of SLA and no saturated stage: hold", ratio * 100));
    }

    private static double ratio(PipelineContext ctx) {
        return ctx.slaMs() > 0 ? ctx.p99Ms() / ctx.slaMs() : 0;
    }

    /**
     * Sizes the saturated stages (or the busiest) for their demand, and in the same round every stage
     * downstream that the released backlog would saturate.
     */
    private Proposal scaleUp(PolicyInput in, double ratio) {
        Set<String> bottlenecks = new LinkedHashSet<>(in.saturated());
        in.context().stages().stream().filter(Headroom::inTrouble).forEach(w -> bottlenecks.add(w.stage()));
        if (bottlenecks.isEmpty()) {
            busiest(in).ifPresent(bottlenecks::add);
        }
        List<StageAction> actions = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        double inflow = 0;
        for (StageSpec s : in.spec().stages()) {
            Optional<StageWindow> ow = in.context().stage(s.name());
            if (ow.isEmpty()) {
                continue;
            }
            StageWindow w = ow.get();
            double demand = headroom.demandUtil(w, inflow);
            inflow = headroom.volume(w, inflow);
            if (!bottlenecks.contains(s.name()) && demand < headroom.saturatedUtil()) {
                continue;
            }
            String name = s.name();
            targets.add(name);
            Allocation a = w.allocation();
            StageLimits l = s.limits();
            Allocation sized = headroom.sizedUp(s, w, demand);
            if (Headroom.outOfMemory(w) && a.memoryMb() < l.maxMemoryMb()) {
                // More replicas of a pod that is OOM-killed restart just as often: give it memory (a
                // quarter more, the validator keeps it within the step), with the replicas it needs.
                int memory = Math.min(l.maxMemoryMb(), a.memoryMb() + Math.max(l.memoryStepMb(), a.memoryMb() / 4));
                int replicas = Math.min(l.maxReplicas(), Math.max(a.replicas(), sized.replicas()));
                actions.add(new StageAction(name, ActionType.SCALE_BOTH, replicas, a.cpuMillis(), memory, null));
            } else if (s.kind() == StageKind.GPU && a.rate() < l.maxRate() - 1e-9) {
                actions.add(StageAction.rate(name, Math.max(sized.rate(), Math.min(l.maxRate(), a.rate() + l.rateStep()))));
            } else if (WholeGpus.applies(in.spec(), s)) {
                boolean slaPressure = WholeGpus.queuesPastItsShare(in.context(), in.spec(), w, in.previousP99Ms());
                int replicas = wholeGpus().replicasNeeded(s, w, slaPressure,
                        WholeGpus.upstreamDrain(in.context(), in.spec(), name),
                        WholeGpus.budgetMs(in.context(), in.spec(), w));
                if (replicas > a.replicas()) {
                    actions.add(StageAction.replicas(name, replicas));
                }
            } else if (a.replicas() < l.maxReplicas()) {
                actions.add(StageAction.replicas(name, Math.max(a.replicas() + 1, sized.replicas())));
            } else if (s.kind() == StageKind.CPU && a.cpuMillis() < l.maxCpuMillis()) {
                // At its most replicas a CPU stage still has the vertical lever: the CPU an earlier shrink took
                // (a slower server is a longer service time, which no replica count shortens).
                actions.add(StageAction.resources(name, l.cpuOneStep(a.cpuMillis(), true), null));
            }
        }
        if (actions.isEmpty()) {
            return Proposal.none("under pressure but the bottleneck is at its maximum");
        }
        return new Proposal(new ScalingAction(actions), String.format(
                "p99 at %.0f%% of SLA: size %s for %.0f%% utilisation", ratio * 100, String.join(", ", targets),
                headroom.targetUtil() * 100));
    }

    private Proposal scaleDown(PolicyInput in, double ratio) {
        PipelineContext ctx = in.context();
        List<StageWindow> idle = ctx.stages().stream()
                .filter(w -> w.utilisation() < this.idle || fitsOneStepDown(in.spec(), ctx, w))
                .sorted(Comparator.comparingDouble(StageWindow::utilisation))
                .toList();
        for (StageWindow w : idle) {
            Optional<StageSpec> s = in.spec().stage(w.stage());
            Optional<StageAction> act = s.flatMap(spec -> safeShrink(in.spec(), ctx, spec, w, in.peaks()));
            if (act.isPresent()) {
                return new Proposal(ScalingAction.of(act.get()), String.format(
                        "p99 at %.0f%% of SLA: shrink idle stage %s (utilisation %.0f%%)", ratio * 100, w.stage(),
                        w.utilisation() * 100));
            }
        }
        return Proposal.none(String.format("p99 at %.0f%% of SLA, nothing idle enough to shrink", ratio * 100));
    }

    /** A GPU stage's wait fits one replica fewer, or (a shared GPU) one rate step lower. */
    private boolean fitsOneStepDown(PipelineSpec pipeline, PipelineContext ctx, StageWindow w) {
        Allocation a = w.allocation();
        if (headroom.waitFitsAfter(ctx, w, a.withReplicas(a.replicas() - 1))) {
            return true;
        }
        Optional<StageSpec> s = pipeline.stage(w.stage());
        return s.isPresent() && !WholeGpus.applies(pipeline, s.get())
                && headroom.waitFitsAfter(ctx, w, a.withRate(rateStepDown(s.get(), a)));
    }

    /** One rate step lower, not below the stage's least. */
    private static double rateStepDown(StageSpec s, Allocation a) {
        return Math.max(s.limits().minRate(), a.rate() - s.limits().rateStep());
    }

    /** One step down that keeps headroom: a whole replica where the rest can carry the load, else the rate or CPU. */
    private Optional<StageAction> safeShrink(PipelineSpec pipeline, PipelineContext ctx, StageSpec s, StageWindow w,
                                             Headroom.Peaks peaks) {
        Allocation a = w.allocation();
        StageLimits l = s.limits();
        List<StageAction> candidates = new ArrayList<>();
        if (a.replicas() > Math.max(1, l.minReplicas())) {
            candidates.add(StageAction.replicas(s.name(), a.replicas() - 1));
        }
        if (s.kind() == StageKind.GPU && a.rate() > l.minRate() + 1e-9) {
            candidates.add(StageAction.rate(s.name(), rateStepDown(s, a)));
        }
        if (s.kind() == StageKind.CPU && l.cpuOneStep(a.cpuMillis(), false) < a.cpuMillis()) {
            candidates.add(StageAction.resources(s.name(), l.cpuOneStep(a.cpuMillis(), false), null));
        }
        return candidates.stream().filter(c -> headroom.allowsShrink(ctx, w, c.applyTo(a), peaks))
                .filter(c -> wholeGpus().permits(ctx, pipeline, s, w, c.applyTo(a))).findFirst();
    }

    /** Whole-GPU arithmetic on this rule's headroom. */
    WholeGpus wholeGpus() {
        return WholeGpus.on(headroom);
    }

    private static Optional<String> busiest(PolicyInput in) {
        return in.context().stages().stream()
                .max(Comparator.comparingDouble(StageWindow::utilisation))
                .map(StageWindow::stage);
    }
}
