package io.sair.core.validate;

import io.sair.core.model.ActionType;
import io.sair.core.model.Adjustment;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.WholeGpus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns any proposal into a feasible action (Appendix D): absolute targets become deltas from what
 * runs now, each delta is clamped to its step, the result to the stage's bounds, and a dimension in
 * cooldown does not move. Every change is reported with its reason. Never throws on a proposal.
 */
public final class ActionValidator {

    /** Memory is never cut below the observed working set times this headroom. */
    static final double MEMORY_HEADROOM = 1.15;
    /** Tolerance of the bounds tests, for rates computed in floating point. */
    private static final double EPS = 1e-9;

    private static final WholeGpus WHOLE_GPUS = WholeGpus.defaults();

    private final ValidationRules rules;

    public ActionValidator(ValidationRules rules) {
        this.rules = rules;
    }

    public static ActionValidator sair() {
        return new ActionValidator(ValidationRules.sair());
    }

    public Validated validate(ScalingAction proposal, PipelineContext ctx, PipelineSpec spec, Cooldowns cooldowns,
                              long nowMs) {
        return validate(proposal, ctx, spec, cooldowns, nowMs, Double.NaN);
    }

    /**
     * As {@link #validate(ScalingAction, PipelineContext, PipelineSpec, Cooldowns, long)}, knowing the pipeline's p99
     * in the window of the last decision ({@code previousP99Ms}; NaN: none): a whole GPU bought for the SLA alone
     * needs the pressure in both windows ({@link WholeGpus#queuesPastItsShare}).
     */
    public Validated validate(ScalingAction proposal, PipelineContext ctx, PipelineSpec spec, Cooldowns cooldowns,
                              long nowMs, double previousP99Ms) {
        return validate(proposal, ctx, spec, cooldowns, nowMs, false, previousP99Ms);
    }

    /**
     * As {@link #validate(ScalingAction, PipelineContext, PipelineSpec, Cooldowns, long)} for the fast path: a
     * surge's scale-up is not held by the scale-up cooldown. The cooldown lets a round see its last action's
     * effect before acting again; a surge acts on overload it measures in the report period itself (beyond
     * Poisson noise), and a cooldown that holds it waits out exactly the minute a step in load is lost in
     * (HPA's default scale-up has no stabilisation window either). Bounds, steps and every scale-down rule apply.
     */
    public Validated validateSurge(ScalingAction proposal, PipelineContext ctx, PipelineSpec spec, Cooldowns cooldowns,
                                   long nowMs) {
        return validate(proposal, ctx, spec, cooldowns, nowMs, true, Double.NaN);
    }

    private Validated validate(ScalingAction proposal, PipelineContext ctx, PipelineSpec spec, Cooldowns cooldowns,
                               long nowMs, boolean surge, double previousP99Ms) {
        List<Adjustment> adj = new ArrayList<>();
        ScalingAction p = proposal == null ? ScalingAction.none() : proposal;
        reportForeignStages(p, ctx, spec, adj);
        List<StageTarget> targets = new ArrayList<>();
        Cooldowns cd = cooldowns == null ? Cooldowns.none() : cooldowns;
        for (StageSpec s : spec.stages()) {
            Optional<StageWindow> w = ctx.stage(s.name());
            if (w.isEmpty()) {
                continue;
            }
            Allocation current = w.get().allocation();
            StageAction a = p.forStage(s.name()).orElse(StageAction.none(s.name()));
            StageRound r = new StageRound(s, w.get(), current, cd, nowMs, adj,
                    rules.wholeGpus() && WholeGpus.applies(spec, s), surge,
                    WholeGpus.queuesPastItsShare(ctx, spec, w.get(), previousP99Ms),
                    WholeGpus.upstreamDrain(ctx, spec, s.name()), WholeGpus.budgetMs(ctx, spec, w.get()));
            r.apply(a);
            cd = r.cooldowns;
            targets.add(StageTarget.of(s.name(), s.kind(), current, r.target));
        }
        return new Validated(targets, adj, cd, ScaleUp.share(targets, spec));
    }

    /** True when every target is within bounds and, under step rules, within one step of what runs now. */
    public boolean feasible(List<StageTarget> targets, PipelineContext ctx, PipelineSpec spec) {
        for (StageTarget t : targets) {
            Optional<StageSpec> s = spec.stage(t.stage());
            Optional<StageWindow> w = ctx.stage(t.stage());
            if (s.isEmpty() || w.isEmpty()) {
                return false;
            }
            StageLimits l = s.get().limits();
            Allocation cur = w.get().allocation();
            if (!within(t.replicas(), l.minReplicas(), l.maxReplicas(), cur.replicas())
                    || !within(t.cpuMillis(), l.minCpuMillis(), l.maxCpuMillis(), cur.cpuMillis())
                    || !within(t.memoryMb(), l.minMemoryMb(), l.maxMemoryMb(), cur.memoryMb())) {
                return false;
            }
            if (s.get().kind() == StageKind.GPU && !within(t.rate(), l.minRate(), l.maxRate(), cur.rate())) {
                return false;
            }
            if (s.get().kind() == StageKind.CPU && Math.abs(t.rate() - cur.rate()) > 1e-9) {
                return false;
            }
            if (rules.stepLimits() && (Math.abs(t.dReplicas()) > l.replicaStep(cur.replicas(), t.dReplicas() > 0)
                    || Math.abs(t.dCpuMillis()) > l.cpuStep(cur.cpuMillis(), t.dCpuMillis() > 0, s.get().resizesInPlace())
                    || Math.abs(t.dMemoryMb()) > l.memoryStepMb()
                    || Math.abs(t.dRate()) > l.rateStep(cur.rate(), t.dRate() > 0) + 1e-9)) {
                return false;
            }
        }
        return true;
    }

    /** In bounds, unchanged, or moving from outside the bounds towards them (the spec changed under a running stage). */
    private static boolean within(double v, double min, double max, double current) {
        return inBounds(v, min, max) || Math.abs(v - current) < EPS
                || (current > max && v < current && v >= min - EPS)
                || (current < min && v > current && v <= max + EPS);
    }

    /** The one bounds test: {@link #feasible} and {@link #outOfBounds} both read it. */
    private static boolean inBounds(double v, double min, double max) {
        return v >= min - EPS && v <= max + EPS;
    }

    /** A proposed target outside its stage's bounds. */
    public record OutOfBounds(Dimension dimension, double value, double min, double max) {
    }

    /**
     * The proposed targets of an action outside the stage's bounds, which {@link #validate} would clamp and
     * {@link #feasible} would refuse. A selector that must not have its proposal reinterpreted (the LLM step)
     * rejects such a proposal instead.
     */
    public static List<OutOfBounds> outOfBounds(StageAction a, StageLimits l) {
        List<OutOfBounds> out = new ArrayList<>();
        outside(out, Dimension.REPLICAS, a.replicas(), l.minReplicas(), l.maxReplicas());
        outside(out, Dimension.CPU, a.cpuMillicores(), l.minCpuMillis(), l.maxCpuMillis());
        outside(out, Dimension.MEMORY, a.memoryMb(), l.minMemoryMb(), l.maxMemoryMb());
        outside(out, Dimension.RATE, a.rateRatio(), l.minRate(), l.maxRate());
        return out;
    }

    private static void outside(List<OutOfBounds> out, Dimension d, Number v, double min, double max) {
        if (v != null && !inBounds(v.doubleValue(), min, max)) {
            out.add(new OutOfBounds(d, v.doubleValue(), min, max));
        }
    }

    private static void reportForeignStages(ScalingAction p, PipelineContext ctx, PipelineSpec spec, List<Adjustment> adj) {
        Set<String> seen = new HashSet<>();
        for (StageAction a : p.stages()) {
            String name = a == null ? null : a.stage();
            if (name == null || spec.stage(name).isEmpty()) {
                adj.add(new Adjustment(String.valueOf(name), "stage", Double.NaN, Double.NaN, "unknown stage: ignored"));
            } else if (!seen.add(name)) {
                adj.add(new Adjustment(name, "stage", Double.NaN, Double.NaN, "second action for the stage: ignored"));
            } else if (ctx.stage(name).isEmpty()) {
                adj.add(new Adjustment(name, "stage", Double.NaN, Double.NaN, "stage did not report this window: no change"));
            }
        }
    }

    /** The validation of one stage's action. */
    private final class StageRound {
        private final StageSpec spec;
        private final StageWindow window;
        private final Allocation current;
        private final long now;
        private final List<Adjustment> adj;
        private final StageLimits l;
        private final boolean wholeGpu;
        private final boolean surge;
        private final boolean slaPressure;
        private final double drained;
        private final double shareMs;
        Allocation target;
        Cooldowns cooldowns;

        StageRound(StageSpec spec, StageWindow window, Allocation current, Cooldowns cd, long now, List<Adjustment> adj,
                   boolean wholeGpu, boolean surge, boolean slaPressure, double drained, double shareMs) {
            this.wholeGpu = wholeGpu;
            this.shareMs = shareMs;
            this.slaPressure = slaPressure;
            this.drained = drained;
            this.surge = surge;
            this.spec = spec;
            this.window = window;
            this.current = current;
            this.target = current;
            this.cooldowns = cd;
            this.now = now;
            this.adj = adj;
            this.l = spec.limits();
        }

        void apply(StageAction a) {
            ActionType type = a.action();
            if (type == null) {
                adj.add(new Adjustment(spec.name(), "action", Double.NaN, Double.NaN, "unknown action: no change"));
                return;
            }
            if (type == ActionType.NONE) {
                return;
            }
            if (type == ActionType.ADJUST_RATE && spec.kind() != StageKind.GPU) {
                adj.add(new Adjustment(spec.name(), "rate", num(a.rateRatio()), Double.NaN,
                        "adjust_rate applies to gpu stages only: no change"));
                return;
            }
            ignoreUnused(a, type);
            Integer replicas = a.replicas();
            Double rate = type == ActionType.ADJUST_RATE ? a.rateRatio() : null;
            Allocation proposed = a.applyTo(current);
            Optional<Allocation> whole = wholeGpu ? WHOLE_GPUS.correction(spec, window, proposed, slaPressure, drained, shareMs)
                    : Optional.empty();
            if (whole.isPresent()) {
                Allocation c = whole.get();
                if (replicas != null && type.touchesReplicas() && c.replicas() != replicas) {
                    adj.add(new Adjustment(spec.name(), "replicas", replicas, c.replicas(), c.rate() > current.rate()
                            ? "GPU billed whole: the rate is raised first (it acts at once and costs nothing)"
                            : String.format(java.util.Locale.ROOT, "GPU billed whole: %d replicas serve the demand at "
                            + "the highest rate (%.0f%% busy)", c.replicas(), WHOLE_GPUS.utilAtMaxRate(spec, window, drained) * 100)));
                    replicas = c.replicas();
                }
                if (rate != null && c.rate() > rate) {
                    adj.add(new Adjustment(spec.name(), "rate", rate, c.rate(),
                            "GPU billed whole (prices.gpuShared: false): a lower rate saves nothing"));
                }
                rate = Math.abs(c.rate() - current.rate()) > 1e-9 ? c.rate() : null;
            }
            if (type.touchesReplicas() && replicas != null) {
                int v = (int) step(Dimension.REPLICAS, replicas, current.replicas(),
                        l.replicaStep(current.replicas(), replicas > current.replicas()),
                        l.minReplicas(), l.maxReplicas());
                target = target.withReplicas(v);
            }
            if (type.touchesResources() && a.cpuMillicores() != null) {
                int v = (int) step(Dimension.CPU, a.cpuMillicores(), current.cpuMillis(),
                        l.cpuStep(current.cpuMillis(), a.cpuMillicores() > current.cpuMillis(), spec.resizesInPlace()),
                        l.minCpuMillis(), l.maxCpuMillis());
                target = target.withCpuMillis(v);
            }
            if (type.touchesResources() && a.memoryMb() != null) {
                int v = (int) step(Dimension.MEMORY, a.memoryMb(), current.memoryMb(), l.memoryStepMb(),
                        Math.min(l.maxMemoryMb(), Math.max(l.minMemoryMb(), Math.min(current.memoryMb(), memoryFloor()))),
                        l.maxMemoryMb());
                target = target.withMemoryMb(v);
            }
            if (rate != null) {
                target = target.withRate(rate(rate));
            }
        }

        private void ignoreUnused(StageAction a, ActionType type) {
            if (!type.touchesReplicas() && a.replicas() != null) {
                adj.add(new Adjustment(spec.name(), "replicas", a.replicas(), current.replicas(),
                        "replicas ignored: action is " + type.wire()));
            }
            if (!type.touchesResources() && (a.cpuMillicores() != null || a.memoryMb() != null)) {
                adj.add(new Adjustment(spec.name(), "resources", Double.NaN, Double.NaN,
                        "cpu/memory ignored: action is " + type.wire()));
            }
            if (type != ActionType.ADJUST_RATE && a.rateRatio() != null) {
                adj.add(new Adjustment(spec.name(), "rate", a.rateRatio(), current.rate(),
                        "rate ignored: action is " + type.wire()));
            }
        }

        private int memoryFloor() {
            if (!rules.memoryFloor()) {
                return 0;
            }
            return (int) Math.ceil(window.memUtil() * current.memoryMb() * MEMORY_HEADROOM);
        }

        /** delta = proposed - current, clamped to the step, the result to the bounds, cooldown respected. */
        private double step(Dimension d, double proposed, double cur, double stepLimit, double min, double max) {
            String field = d.wire();
            if (Double.isNaN(proposed) || Double.isInfinite(proposed)) {
                adj.add(new Adjustment(spec.name(), field, proposed, cur, "not a finite number: no change"));
                return cur;
            }
            double delta = proposed - cur;
            String why = null;
            if (rules.stepLimits() && Math.abs(delta) > stepLimit + 1e-9) {
                delta = Math.signum(delta) * stepLimit;
                why = "step limited to " + fmt(stepLimit);
            }
            double v = cur + delta;
            if (v > max) {
                v = max;
                why = "bounded by max " + fmt(max);
            } else if (v < min) {
                v = min;
                why = "bounded by min " + fmt(min);
            }
            if (rules.stepLimits() && Math.abs(v - cur) > stepLimit + 1e-9) {
                // Only when what runs is already outside the bounds (the spec changed): move back one step.
                v = cur + Math.signum(v - cur) * stepLimit;
                why = "moving back inside the bounds by one step";
            }
            if (v < cur - 1e-9 && rules.surgeHoldMs() > 0) {
                long since = now - cooldowns.lastSurge(spec.name());
                if (since < rules.surgeHoldMs()) {
                    adj.add(new Adjustment(spec.name(), field, proposed, cur, "holding a surge's capacity: scale-down of "
                            + field + " allowed again in " + (rules.surgeHoldMs() - since) / 1000 + " s"));
                    return cur;
                }
            }
            if (Math.abs(v - cur) > 1e-9 && rules.cooldowns() && !(surge && v > cur)) {
                boolean up = v > cur;
                long since = now - (up ? cooldowns.lastUp(spec.name(), d) : cooldowns.lastDown(spec.name(), d));
                long need = d == Dimension.RATE ? l.rateCooldownMs() : up ? l.scaleUpCooldownMs() : l.scaleDownCooldownMs();
                if (since < need) {
                    adj.add(new Adjustment(spec.name(), field, proposed, cur, "cooldown: " + (up ? "scale-up" : "scale-down")
                            + " of " + field + " allowed again in " + (need - since) / 1000 + " s"));
                    return cur;
                }
            }
            if (why != null) {
                adj.add(new Adjustment(spec.name(), field, proposed, v, why));
            }
            if (Math.abs(v - cur) > 1e-9) {
                cooldowns = cooldowns.record(spec.name(), d, v > cur, now);
            }
            return v;
        }

        /** Rates live on a 0.01 grid, unless rounding would leave the step or the bounds. */
        private double rate(double proposed) {
            double stepLimit = l.rateStep(current.rate(), proposed > current.rate());
            double v = step(Dimension.RATE, proposed, current.rate(), stepLimit, l.minRate(), l.maxRate());
            double r = Math.round(v * 100.0) / 100.0;
            boolean fits = Math.abs(r - current.rate()) <= stepLimit + 1e-9 && r <= l.maxRate() + 1e-9
                    && r >= l.minRate() - 1e-9;
            return fits ? r : v;
        }
    }

    private static double num(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
