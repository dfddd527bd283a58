package io.sair.core.policy;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;

/**
 * Capacity arithmetic for one stage, shared by the built-in selector, its fallback rule and the
 * explorer: how busy a stage would be after an allocation change, and what allocation serves its
 * demand at the target utilisation. Capacity is replicas x per-replica speed (CPU millicores, or the
 * GPU rate), the first-order model HPA uses too (desired = ceil(current x utilisation / target)).
 *
 * <p>Why it exists: without it the controller learns that shrinking pays (cost falls, p99 stays
 * under the SLA) until the pipeline runs at 70-90% utilisation, and the next burst then finds no
 * headroom; and it scaled up one step per round while a backlog grew by thousands.
 *
 * @param targetUtil utilisation a scale-up sizes for, and above which no shrink may push a stage (0.6)
 * @param shrinkP99Cap p99/SLA above which nothing shrinks (0.8)
 * @param saturatedUtil utilisation from which a stage's completions no longer show its demand (0.9)
 * @param peakUtilCap utilisation a shrunk stage may reach at the recent peak arrival rate (0.85: it
 *     carries the peak without a growing backlog until the scale-up lands)
 */
public record Headroom(double targetUtil, double shrinkP99Cap, double saturatedUtil, double peakUtilCap) {

    public static Headroom defaults() {
        return new Headroom(0.6, 0.8, 0.9, 0.85);
    }

    /** Relative capacity of an allocation: replicas x cores for CPU stages, replicas x rate for GPU stages. */
    public static double capacity(StageKind kind, Allocation a) {
        return a.replicas() * (kind == StageKind.GPU ? a.rate() : a.cpuMillis() / 1000.0);
    }

    /**
     * The utilisation the stage's demand would need from what runs now; above 1 when saturated. A
     * saturated stage's completions understate its demand, so it is scaled by what arrived plus the
     * backlog (to be drained within a window) over what completed.
     */
    public double demandUtil(StageWindow w) {
        return demandUtil(w, 0);
    }

    /**
     * As {@link #demandUtil(StageWindow)}, when {@code inflow} requests per window are about to arrive
     * from upstream: a stage whose upstream is being scaled up receives the upstream's backlog as well
     * as its arrivals, and must be sized for that in the same round (the paper's proactive multi-stage
     * scaling), or the backlog just moves one stage down.
     */
    public double demandUtil(StageWindow w, double inflow) {
        double u = w.utilisation();
        if (w.completions() <= 0) {
            return u;
        }
        return u * Math.max(1.0, volume(w, inflow) / w.completions());
    }

    /** Requests the stage must serve in the next window: arrivals (or upstream's inflow) plus, when behind, its backlog. */
    public double volume(StageWindow w, double inflow) {
        double backlog = w.utilisation() >= saturatedUtil || backlogGrowing(w) ? Math.max(0, w.queueDepth()) : 0;
        return Math.max(w.arrivals(), inflow) + backlog;
    }

    /**
     * The queue grew by more than a tenth of what the stage completed: it is falling behind before its
     * utilisation or the p99 shows it (long requests, such as video clips, finish after the window).
     */
    public static boolean outOfMemory(StageWindow w) {
        return w.memUtil() >= 0.95;
    }

    /** Behind on work or on memory: a backlog building, or a pod at its memory limit (an OOM kill restarts it). */
    public static boolean inTrouble(StageWindow w) {
        return backlogGrowing(w) || outOfMemory(w);
    }

    public static boolean backlogGrowing(StageWindow w) {
        return w.queueGrowth() > 0.1 * Math.max(10, w.completions());
    }

    /** The stage's utilisation after moving to {@code after}, at the same demand. */
    public double utilAfter(StageWindow w, Allocation after) {
        double capAfter = capacity(w.kind(), after);
        if (capAfter <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return demandUtil(w) * capacity(w.kind(), w.allocation()) / capAfter;
    }

    /**
     * A shrink to {@code after} is safe: p99 well inside the SLA, no backlog building, utilisation
     * stays at or below target now, and at most {@code peakUtilCap} were the recent peak to return.
     */
    public boolean allowsShrink(PipelineContext ctx, StageWindow w, Allocation after, double peakArrivalRate) {
        return allowsShrink(ctx, w, after, new Peaks(peakArrivalRate, peakArrivalRate));
    }

    /**
     * As {@link #allowsShrink(PipelineContext, StageWindow, Allocation, double)}, ready for the peak that can arrive
     * before the capacity given up comes back: a replica or a GPU rate returns within a scale-up delay (a pod's
     * start-up, or at once), so it keeps room for {@link Peaks#withinDelay}; CPU or memory taken from the pods
     * returns one step per decision and rolls them each time, so it keeps room for the whole remembered peak.
     */
    public boolean allowsShrink(PipelineContext ctx, StageWindow w, Allocation after, Peaks peaks) {
        Allocation now = w.allocation();
        double peakArrivalRate = after.cpuMillis() < now.cpuMillis() || after.memoryMb() < now.memoryMb()
                ? peaks.remembered() : peaks.withinDelay();
        double ratio = ctx.slaMs() > 0 ? ctx.p99Ms() / ctx.slaMs() : 0;
        double util = utilAfter(w, after);
        return ratio <= shrinkP99Cap && w.queueGrowth() <= 0
                && (util <= targetUtil + 1e-9 || waitFitsAfter(ctx, w, after))
                && util * peakFactor(ctx.arrivalRate(), peakArrivalRate) <= peakUtilCap + 1e-9;
    }

    /**
     * Fewer GPU replicas, or a lower rate, keep the pipeline's p99 within {@code shrinkP99Cap} of the SLA, by the
     * M/M/c model ({@link ErlangC}): the p99 now plus the rise of the queue's p99 wait and, at a lower rate, of the
     * service time itself (its 99th percentile, exponential: ln 100 times the mean), with each replica at most
     * {@code peakUtilCap} busy. The fixed target utilisation holds a stage of long requests (text generation: 4 s
     * SLA, p99 at a third of it) at a whole GPU more than its latency needs; a GPU costs what 75 CPU pods do, where
     * the target's headroom costs little, so only GPU stages are sized this way. A lower rate is what a shared GPU
     * gives back (a GPU billed whole never lowers it, see {@link WholeGpus}).
     */
    public boolean waitFitsAfter(PipelineContext ctx, StageWindow w, Allocation after) {
        Allocation now = w.allocation();
        boolean fewer = after.replicas() < now.replicas() && Math.abs(after.rate() - now.rate()) <= 1e-9;
        boolean slower = after.replicas() == now.replicas() && after.rate() < now.rate() - 1e-9;
        if (w.kind() != StageKind.GPU || !(ctx.slaMs() > 0) || after.replicas() < 1 || !(fewer || slower)
                || !(after.rate() > 0) || w.completions() <= 0 || !(w.windowSeconds() > 0)) {
            return false;
        }
        double perSecond = Math.max(w.arrivals(), w.completions()) / w.windowSeconds();
        double offered = w.utilisation() * now.replicas(); // replicas' worth of busy work
        double serviceSeconds = offered / perSecond;
        double slowdown = now.rate() / after.rate();
        double offeredAfter = offered * slowdown;
        if (offeredAfter / after.replicas() > peakUtilCap + 1e-9) {
            return false;
        }
        double riseMs = 1000 * (ErlangC.waitP99(after.replicas(), offeredAfter, serviceSeconds * slowdown)
                - ErlangC.waitP99(now.replicas(), offered, serviceSeconds)
                + Math.log(100) * serviceSeconds * (slowdown - 1));
        return ctx.p99Ms() + riseMs <= shrinkP99Cap * ctx.slaMs();
    }

    /** How many times today's load the peak is (at most 20, so a quiet pipeline can still shrink). */
    static double peakFactor(double arrivalRate, double peakArrivalRate) {
        if (!(peakArrivalRate > 0)) {
            return 1.0;
        }
        return arrivalRate > 0 ? Math.min(20.0, Math.max(1.0, peakArrivalRate / arrivalRate)) : 20.0;
    }

    /** A move to {@code after} is allowed: it shrinks nothing, or the shrink is safe ({@link #allowsShrink}). */
    public boolean allowsMove(PipelineContext ctx, StageWindow w, Allocation after, Peaks peaks) {
        return !shrinks(w.kind(), w.allocation(), after) || allowsShrink(ctx, w, after, peaks);
    }

    /**
     * The loads a shrinking stage stays ready for (requests per second; 0: none known).
     *
     * @param remembered the recent peak ({@link LoadPeak})
     * @param withinDelay the part of it that can arrive within a scale-up delay ({@link LoadRise#peakToKeep})
     */
    public record Peaks(double remembered, double withinDelay) {
    }

    /** True when {@code after} has less capacity, CPU or memory than what runs now. */
    public static boolean shrinks(StageKind kind, Allocation now, Allocation after) {
        return capacity(kind, after) < capacity(kind, now) - 1e-9 || after.memoryMb() < now.memoryMb();
    }

    /** True when {@code after} has more capacity than what runs now. */
    public static boolean grows(StageKind kind, Allocation now, Allocation after) {
        return capacity(kind, after) > capacity(kind, now) + 1e-9;
    }

    /**
     * The allocation that brings the stage to the target utilisation, within the stage's bounds (the
     * validator applies the step limits). GPU stages raise the rate first (it acts at once), then add
     * replicas at full rate; CPU stages add replicas.
     */
    public Allocation sizedUp(StageSpec s, StageWindow w) {
        return sizedUp(s, w, demandUtil(w));
    }

    /** As {@link #sizedUp(StageSpec, StageWindow)}, for a given demand utilisation. */
    public Allocation sizedUp(StageSpec s, StageWindow w, double demandUtil) {
        Allocation a = w.allocation();
        StageLimits l = s.limits();
        double needed = capacity(s.kind(), a) * demandUtil / targetUtil;
        if (s.kind() == StageKind.GPU) {
            double rate = Math.ceil(needed / Math.max(1, a.replicas()) * 100.0 - 1e-6) / 100.0;
            if (rate <= l.maxRate() + 1e-9) {
                return a.withRate(Math.max(a.rate(), rate));
            }
            int replicas = (int) Math.ceil(needed / l.maxRate() - 1e-9);
            return a.withRate(l.maxRate()).withReplicas(Math.min(l.maxReplicas(), Math.max(a.replicas(), replicas)));
        }
        double perReplica = a.cpuMillis() / 1000.0;
        int replicas = (int) Math.ceil(needed / perReplica - 1e-9);
        return a.withReplicas(Math.min(l.maxReplicas(), Math.max(a.replicas() + 1, replicas)));
    }
}
