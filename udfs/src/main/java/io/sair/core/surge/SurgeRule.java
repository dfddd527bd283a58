package io.sair.core.surge;

import io.sair.core.model.Allocation;
import io.sair.core.model.ActionType;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.Headroom;
import io.sair.core.policy.Proposal;
import io.sair.core.policy.WholeGpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The fast path's decision rule, run on every report period between the 30 s rounds: it only ever adds
 * capacity, and only where demand outruns what runs. Knative's panic window (6 s beside the 60 s stable one,
 * no scale-down while panicking) and InferLine's tuner (react to the arrival envelope at once, let the
 * planner settle) are the anchors.
 *
 * <p>Per stage, from one short window: the demand rate {@code lambda} (its arrivals, or what an overloaded
 * upstream stage will pass on once it is sized, whichever is larger), and what the running allocation
 * completes per second when fully busy, {@code mu = completions / (T x busy share)} (the true processing
 * rate, as DS2 measures it; GPU utilisation is already the share of the rate-limited budget). A stage
 * surges when both hold:
 * <ul>
 *   <li><b>overload</b>: the demand is more than the stage can complete in the window, beyond Poisson noise
 *       ({@code (lambda - mu) T > z sqrt(mu T)}), so a steady stage's random busy periods do not trigger;</li>
 *   <li><b>breach</b>: the backlog projected to the next round ({@code q + (lambda - mu) H}) would wait
 *       longer than the stage's share of the p99 SLA ({@code SLA / stages}).</li>
 * </ul>
 * It sizes for the arrivals plus draining the backlog within the horizon, at the target utilisation of the
 * built-in selector: {@code f = (lambda + q / H) / (target x mu)} times what runs. Instant levers first: a
 * throttled GPU raises its rate (it acts at once; replicas are added only when the stage at its highest rate
 * cannot serve, and then on a later report, measured at that rate, as the fewest whole GPUs that keep it out of
 * saturation: a GPU replica is billed whole, and the rate trims it later); a CPU stage that resizes in place gets
 * one CPU step (counted as a linear gain; the next report measures what it really gave); replicas make up
 * the rest and settle. Nothing here ever lowers a target.
 *
 * @param targetUtil utilisation the surge sizes for (the built-in selector's target, 0.6)
 * @param horizonMs how far the backlog is projected, and within which it is to drain: until the strategic
 *     loop's next round (30 s)
 * @param gpuUtil utilisation whole GPU replicas are added for: below saturation (0.9), where completions still
 *     show the demand
 * @param noiseSigmas how many standard deviations of a Poisson count the overload must exceed (3)
 * @param minBusy below this busy share a window says nothing about capacity (0.05)
 */
public record SurgeRule(double targetUtil, double gpuUtil, long horizonMs, double noiseSigmas, double minBusy,
                        double panicUtil) {

    public static SurgeRule defaults() {
        return new SurgeRule(0.6, 0.9, 30_000, 3.0, 0.05, Headroom.defaults().peakUtilCap());
    }

    /** The surge for this short window, or empty when no stage needs one. */
    public Optional<Proposal> propose(PipelineContext window, PipelineSpec spec) {
        return propose(window, spec, stage -> true);
    }

    /**
     * As {@link #propose(PipelineContext, PipelineSpec)}, acting only on the stages {@code mayAct} accepts (the
     * others still pass their demand on downstream).
     */
    public Optional<Proposal> propose(PipelineContext window, PipelineSpec spec, Predicate<String> mayAct) {
        return propose(window, spec, mayAct, stage -> 0);
    }

    /**
     * As {@link #propose(PipelineContext, PipelineSpec, Predicate)}, sizing replicas with each stage's learned rate
     * ({@code perUnit}: completions per busy second per capacity unit, 0 where none is learned) where it needs fewer:
     * the window's own rate is what the ready pods completed, and pods ordered a moment ago are counted in its
     * replicas already ({@link io.sair.core.policy.StageCapacity}).
     */
    public Optional<Proposal> propose(PipelineContext window, PipelineSpec spec, Predicate<String> mayAct,
                                      ToDoubleFunction<String> perUnit) {
        return propose(window, spec, mayAct, perUnit, 1.0);
    }

    /**
     * As {@link #propose(PipelineContext, PipelineSpec, Predicate, ToDoubleFunction)}, with the arrivals projected
     * {@code growth} times higher by the end of the horizon ({@link ArrivalTrend#growth}): a stage that may panic
     * panics on the projected rate (capacity ordered now serves after its start-up, when a rising load is higher),
     * and is still sized for what arrives. The projection says when to order, not how much: a step in a few requests
     * can pass for a line, and sized on it, its capacity would be held for the whole surge hold; a rise that goes on
     * is ordered again on the next reports.
     */
    public Optional<Proposal> propose(PipelineContext window, PipelineSpec spec, Predicate<String> mayAct,
                                      ToDoubleFunction<String> perUnit, double growth) {
        List<StageAction> actions = new ArrayList<>();
        List<String> why = new ArrayList<>();
        double budgetS = spec.stageShareMs() / 1000.0;
        double inflow = 0;
        long upstreamCompleted = 0;
        for (StageSpec s : spec.stages()) {
            Optional<StageWindow> w = window.stage(s.name());
            if (w.isEmpty()) {
                inflow = 0;
                continue;
            }
            // What an overloaded upstream will pass on once it is sized, in this stage's units (its arrivals per
            // upstream completion, as observed): the next stage must take it in the same surge, or the backlog
            // only moves one stage down (the paper's proactive multi-stage scaling).
            double perUpstream = upstreamCompleted > 0 ? (double) w.get().arrivals() / upstreamCompleted : 1.0;
            // A GPU billed whole is bought on its own evidence only (WholeGpus): a batching GPU serves far more than
            // its light-load throughput suggests, and an upstream's predicted inflow would buy GPUs it never needs.
            double received = inflow * perUpstream;
            double inflowRate = WholeGpus.applies(spec, s) ? 0 : received;
            // Nor does a GPU billed whole panic: it is bought when it cannot serve, not when it nears that.
            Optional<Need> need = need(w.get(), budgetS, inflowRate, !WholeGpus.applies(spec, s), growth);
            // A stage that needs nothing passes on all it is about to receive. Only a GPU billed whole could fail to
            // serve it without a need of its own (it is not bought on predicted inflow), and capping it at what that
            // GPU completes fully busy understates a batching GPU (nlp: 155/s read at 70/s, 295/s served loaded):
            // the stage after it is better sized for a little too much, and trimmed by the round, than left to surge
            // a report later on its own backlog.
            inflow = need.map(n -> n.passOn(targetUtil)).orElse(received);
            upstreamCompleted = w.get().completions();
            if (need.isPresent() && mayAct.test(s.name())) {
                Optional<StageAction> a = lever(s, w.get().allocation(), need.get(), gpuUtil / targetUtil,
                        perUnit.applyAsDouble(s.name()) * targetUtil);
                a.ifPresent(actions::add);
                a.ifPresent(x -> why.add(need.get().describe(s.name(), x)));
            }
        }
        return actions.isEmpty() ? Optional.empty()
                : Optional.of(new Proposal(new ScalingAction(actions), "surge: " + String.join("; ", why)));
    }

    /**
     * Whether the stage's demand outruns what runs, and by how much.
     *
     * @param inflowRate requests per second an overloaded upstream is about to pass on (0: none)
     * @param mayPanic whether the panic mark applies (not to a GPU billed whole)
     */
    Optional<Need> need(StageWindow w, double budgetS, double inflowRate, boolean mayPanic) {
        return need(w, budgetS, inflowRate, mayPanic, 1.0);
    }

    /** As {@link #need(StageWindow, double, double, boolean)}, the panic mark judged on arrivals {@code growth} times higher. */
    Optional<Need> need(StageWindow w, double budgetS, double inflowRate, boolean mayPanic, double growth) {
        double t = w.windowSeconds();
        double busy = Math.min(1.0, w.utilisation());
        if (w.completions() <= 0 || !(busy >= minBusy)) {
            return Optional.empty();
        }
        double mu = w.completions() / (t * busy);
        double lambda = Math.max(w.arrivals() / t, inflowRate);
        double q = Math.max(0, w.queueDepth());
        double h = horizonMs / 1000.0;
        double projectedWaitS = (q + (lambda - mu) * h) / mu;
        boolean panic = mayPanic && panics(lambda, mu, q, t, h, Math.max(1.0, growth));
        if (!panic && !overloads(lambda, mu, t, projectedWaitS, budgetS)) {
            return Optional.empty();
        }
        double factor = (lambda + q / h) / (targetUtil * mu);
        return factor > 1.0 ? Optional.of(new Need(lambda, mu, q, projectedWaitS, factor, h)) : Optional.empty();
    }

    /**
     * Demand past what runs, beyond Poisson noise, and a backlog that would wait past the stage's budget by the
     * next round.
     */
    private boolean overloads(double lambda, double mu, double t, double projectedWaitS, double budgetS) {
        return (lambda - mu) * t > noiseSigmas * Math.sqrt(Math.max(1.0, mu * t)) && projectedWaitS > budgetS;
    }

    /**
     * Knative's panic: the demand (arrivals less their noise, plus the backlog to drain within the horizon) is
     * past {@code panicUtil} of what runs at full busy. New pods take their start-up time to serve; waiting for
     * the overload itself leaves a rising load that long without them. The arrivals are taken {@code growth} times
     * higher where they rise as a line ({@link ArrivalTrend}).
     */
    private boolean panics(double lambda, double mu, double q, double t, double h, double growth) {
        double arrivals = lambda * t;
        double sure = growth * Math.max(0, arrivals - noiseSigmas * Math.sqrt(Math.max(1.0, arrivals))) / t;
        return sure + q / h >= panicUtil * mu;
    }

    /**
     * The instant lever where one is left, replicas for the rest; empty when the stage is at its limits.
     *
     * @param gpuRelief how much less a GPU's replicas are sized for than the target (whole GPUs at {@code gpuUtil})
     * @param unitRate what one capacity unit serves at the target utilisation, learned (0: unknown); the replicas
     *     are the fewer of those it needs and of the reported ones times the window's factor
     */
    static Optional<StageAction> lever(StageSpec s, Allocation a, Need n, double gpuRelief, double unitRate) {
        StageLimits l = s.limits();
        if (s.kind() == StageKind.GPU) {
            if (a.rate() < l.maxRate() - 1e-9) {
                double want = Math.max(a.rate() + 0.01, a.rate() * n.factor());
                return Optional.of(StageAction.rate(s.name(), Math.min(l.maxRate(), Math.ceil(want * 100 - 1e-9) / 100.0)));
            }
            int replicas = replicas(a.replicas(), n.factor() / gpuRelief, l);
            if (unitRate > 0) {
                replicas = Math.min(replicas, replicasFor(n.demand() / (unitRate * gpuRelief), a.rate(), a.replicas(), l));
            }
            return replicas > a.replicas() ? Optional.of(StageAction.replicas(s.name(), replicas)) : Optional.empty();
        }
        double rest = n.factor();
        Integer cpu = null;
        if (s.resizesInPlace() && a.cpuMillis() < l.maxCpuMillis()) {
            int want = (int) Math.ceil(a.cpuMillis() * n.factor());
            cpu = Math.min(l.maxCpuMillis(), Math.min(a.cpuMillis() + l.cpuStep(a.cpuMillis(), true, true), want));
            rest = n.factor() * a.cpuMillis() / cpu;
        }
        int perReplicaMillis = cpu != null ? cpu : a.cpuMillis();
        int replicas = rest > 1.0 ? replicas(a.replicas(), rest, l) : a.replicas();
        if (unitRate > 0) {
            replicas = Math.min(replicas, replicasFor(n.demand() / unitRate, perReplicaMillis / 1000.0, a.replicas(), l));
        }
        if (cpu != null && replicas > a.replicas()) {
            return Optional.of(new StageAction(s.name(), ActionType.SCALE_BOTH, replicas, cpu, null, null));
        }
        if (cpu != null) {
            return Optional.of(StageAction.resources(s.name(), cpu, null));
        }
        return replicas > a.replicas() ? Optional.of(StageAction.replicas(s.name(), replicas)) : Optional.empty();
    }

    /** The replicas, never fewer than {@code current}, whose capacity units cover {@code units}. */
    private static int replicasFor(double units, double unitsPerReplica, int current, StageLimits l) {
        if (!(unitsPerReplica > 0)) {
            return current;
        }
        return (int) Math.min(l.maxReplicas(), Math.max(current, Math.ceil(units / unitsPerReplica - 1e-9)));
    }

    private static int replicas(int current, double factor, StageLimits l) {
        return (int) Math.min(l.maxReplicas(), Math.max(current, Math.ceil(current * factor - 1e-9)));
    }

    /**
     * A stage's demand against what runs.
     *
     * @param factor the capacity needed, as a multiple of what runs
     */
    record Need(double lambda, double mu, double queue, double projectedWaitS, double factor, double horizonS) {

        /**
         * Requests per second the stage passes downstream once sized: with a backlog, all its new capacity
         * ({@code demand / target}: it drains as fast as it can), else its arrivals.
         */
        double passOn(double targetUtil) {
            return queue > 0 ? demand() / targetUtil : lambda;
        }

        /** Requests per second the stage is to serve once sized: its arrivals and its backlog drained over the horizon. */
        double demand() {
            return lambda + queue / horizonS;
        }

        String describe(String stage, StageAction a) {
            return String.format(Locale.ROOT, "%s demand %.1f/s over capacity %.1f/s, backlog %.0f (wait %.2f s by the "
                    + "next round), x%.2f -> %s", stage, lambda, mu, queue, projectedWaitS, factor, what(a));
        }

        private static String what(StageAction a) {
            return switch (a.action()) {
                case ADJUST_RATE -> String.format(Locale.ROOT, "rate %.2f", a.rateRatio());
                case SCALE_RESOURCES -> "cpu " + a.cpuMillicores() + "m";
                case SCALE_BOTH -> a.replicas() + " replicas at cpu " + a.cpuMillicores() + "m";
                default -> a.replicas() + " replicas";
            };
        }
    }
}
