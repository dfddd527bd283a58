package io.sair.core.policy;

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
import java.util.List;
import java.util.Optional;

/**
 * The rule the built-in selector falls back on when memory is thin: under SLA pressure scale the
 * bottleneck stages up (GPU: rate first, it acts at once; then replicas); well under the SLA scale the
 * most idle stage down by one step; otherwise hold.
 *
 * @param pressure p99/SLA at or above which the pipeline is under pressure (0.9)
 * @param slack p99/SLA below which there is room to save (0.5)
 * @param idle utilisation below which a stage counts as idle (0.4)
 */
public record BottleneckRule(double pressure, double slack, double idle) {

    public static BottleneckRule defaults() {
        return new BottleneckRule(0.9, 0.5, 0.4);
    }

    public Proposal propose(PolicyInput in) {
        PipelineContext ctx = in.context();
        double ratio = ctx.slaMs() > 0 ? ctx.p99Ms() / ctx.slaMs() : 0;
        if (ratio >= pressure || !in.saturated().isEmpty() && ratio >= slack) {
            return scaleUp(in, ratio);
        }
        if (ratio < slack) {
            return scaleDown(in, ratio);
        }
        return Proposal.none(String.format("p99 at %.0f%% of SLA and no saturated stage: hold", ratio * 100));
    }

    private Proposal scaleUp(PolicyInput in, double ratio) {
        List<String> targets = new ArrayList<>(in.saturated());
        if (targets.isEmpty()) {
            busiest(in).ifPresent(targets::add);
        }
        List<StageAction> actions = new ArrayList<>();
        for (String name : targets) {
            StageSpec s = in.spec().stage(name).orElseThrow();
            Allocation a = in.context().stage(name).orElseThrow().allocation();
            StageLimits l = s.limits();
            if (s.kind() == StageKind.GPU && a.rate() < l.maxRate() - 1e-9) {
                actions.add(StageAction.rate(name, Math.min(l.maxRate(), a.rate() + l.rateStep())));
            } else if (a.replicas() < l.maxReplicas()) {
                int step = ratio >= 2 * pressure ? l.replicaStep() : 1;
                actions.add(StageAction.replicas(name, Math.min(l.maxReplicas(), a.replicas() + step)));
            }
        }
        if (actions.isEmpty()) {
            return Proposal.none("under pressure but the bottleneck is at its maximum");
        }
        return new Proposal(new ScalingAction(actions), String.format(
                "p99 at %.0f%% of SLA: scale up %s", ratio * 100, String.join(", ", targets)));
    }

    private Proposal scaleDown(PolicyInput in, double ratio) {
        PipelineContext ctx = in.context();
        Optional<StageWindow> idlest = ctx.stages().stream()
                .filter(w -> w.queueGrowth() <= 0 && w.utilisation() < idle && canShrink(in.spec(), w))
                .min(Comparator.comparingDouble(StageWindow::utilisation));
        if (idlest.isEmpty()) {
            return Proposal.none(String.format("p99 at %.0f%% of SLA, nothing idle enough to shrink", ratio * 100));
        }
        StageWindow w = idlest.get();
        StageSpec s = in.spec().stage(w.stage()).orElseThrow();
        Allocation a = w.allocation();
        StageLimits l = s.limits();
        StageAction act;
        if (s.kind() == StageKind.GPU && a.rate() > l.minRate() + 1e-9) {
            act = StageAction.rate(w.stage(), Math.max(l.minRate(), a.rate() - l.rateStep()));
        } else if (a.replicas() > Math.max(1, l.minReplicas())) {
            act = StageAction.replicas(w.stage(), a.replicas() - 1);
        } else {
            act = StageAction.resources(w.stage(), Math.max(l.minCpuMillis(), a.cpuMillis() - l.cpuStepMillis()), null);
        }
        return new Proposal(ScalingAction.of(act), String.format(
                "p99 at %.0f%% of SLA: shrink idle stage %s (utilisation %.0f%%)", ratio * 100, w.stage(),
                w.utilisation() * 100));
    }

    private static boolean canShrink(PipelineSpec spec, StageWindow w) {
        Optional<StageSpec> s = spec.stage(w.stage());
        if (s.isEmpty()) {
            return false;
        }
        Allocation a = w.allocation();
        StageLimits l = s.get().limits();
        boolean rate = s.get().kind() == StageKind.GPU && a.rate() > l.minRate() + 1e-9;
        boolean replicas = a.replicas() > Math.max(1, l.minReplicas());
        boolean cpu = s.get().kind() == StageKind.CPU && a.cpuMillis() - l.cpuStepMillis() >= l.minCpuMillis();
        return rate || replicas || cpu;
    }

    private static Optional<String> busiest(PolicyInput in) {
        return in.context().stages().stream()
                .max(Comparator.comparingDouble(StageWindow::utilisation))
                .map(StageWindow::stage);
    }
}
