package io.sair.core.policy;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import java.util.Optional;

/**
 * What a GPU replica is worth when it is billed whole ({@code prices.gpuShared: false}, the default): a
 * lower rate saves nothing, so the rate is never lowered; and a GPU is added only when the replicas that
 * run, at their highest rate, cannot serve the demand, and then as the fewest whole GPUs that keep it
 * below {@code gpuUtil}. The validator enforces it on every proposal (the LLM's, memory's, the rule's, a
 * probe's, a surge's), and the proposers ask it first so that they do not spend a round on a move it refuses.
 *
 * <p>Why: with the GPU priced by its rate (the effective cost) the controller learned to add GPU replicas
 * and throttle them, a configuration that looks cheap and is billed 1.6-2.8x what a baseline pays.
 *
 * @param gpuUtil utilisation at the highest rate above which the running GPUs cannot serve (0.9: below
 *     saturation, where completions still show the demand; the surge rule's mark)
 * @param headroom the demand arithmetic
 */
public record WholeGpus(double gpuUtil, Headroom headroom) {

    /** p99 / SLA from which the pipeline is under pressure (the rule's mark). */
    public static final double SLA_PRESSURE = 0.9;

    /** p99 / p50 of an exponential service time (ln 100 / ln 2): a stage's tail past it has queued. */
    static final double SERVICE_TAIL = Math.log(100) / Math.log(2);

    public static WholeGpus defaults() {
        return on(Headroom.defaults());
    }

    /** The default 90 % mark on the given headroom's demand arithmetic (the rule's, or a probe's). */
    public static WholeGpus on(Headroom headroom) {
        return new WholeGpus(0.9, headroom);
    }

    /**
     * The pipeline's p99 is over {@link #SLA_PRESSURE} of the SLA, this stage's own p99 over its share of it
     * (SLA / stages; when the stage reports no latency, the pipeline's pressure alone), and the stage queues: requests
     * wait at the window's end ({@link #waits}), or its p99 is past what an exponential service time makes of its p50
     * ({@link #SERVICE_TAIL}: requests queued within the window, a burst drained by its end). The stage keeps up but
     * queues past the SLA. A batching GPU runs busy and fast at once; its utilisation alone says nothing here.
     * Otherwise the tail is the stage's service time (text generation's longest outputs: three GPUs with an empty
     * queue had window p99s of 4.1-5.7 s of a 4 s SLA, and meet it over the run), which another GPU does not shorten.
     *
     * <p>With the window before it known ({@code previousP99Ms}; NaN: none), the pipeline must have been under
     * pressure there too. A window's p99 is its few slowest requests (1 % of text generation's ~300 in 30 s is
     * three requests of seconds each), and a GPU bought on one window's tail is billed for as long as it runs; a
     * stage that falls behind is bought GPUs on its backlog at once ({@link #replicasNeeded}), so what waits a
     * window here is the tail alone.
     */
    public static boolean queuesPastItsShare(PipelineContext ctx, PipelineSpec spec, StageWindow w, double previousP99Ms) {
        if (!(ctx.slaMs() > 0) || !(ctx.p99Ms() >= SLA_PRESSURE * ctx.slaMs())
                || previousP99Ms < SLA_PRESSURE * ctx.slaMs()) {
            return false;
        }
        if (Double.isNaN(w.p99Ms())) {
            return true;
        }
        return w.p99Ms() >= spec.stageShareMs() && (waits(w, spec.stageShareMs()) || w.p99Ms() > SERVICE_TAIL * w.p50Ms());
    }

    /**
     * Requests wait at the window's end: more than the count's noise (sqrt of the window's completions), or for longer
     * than {@code shareMs} at the rate the stage completes them (a fast stage's noise is a long wait: nlp's GPU serves
     * 250 requests/s, and the 87 of sqrt(7,500) wait 350 ms of its 67 ms share).
     */
    static boolean waits(StageWindow w, double shareMs) {
        double q = Math.max(0, w.queueDepth());
        double waitMs = w.completions() > 0 ? 1000.0 * q * w.windowSeconds() / w.completions() : Double.POSITIVE_INFINITY;
        return q > countNoise(w) || q > 0 && waitMs >= shareMs;
    }

    /** One standard deviation of the window's count of completions (a Poisson count's noise), in requests. */
    private static double countNoise(StageWindow w) {
        return Math.sqrt(Math.max(1, w.completions()));
    }

    /** True for a GPU stage of a pipeline whose GPUs are billed whole. */
    public static boolean applies(PipelineSpec spec, StageSpec s) {
        return s.kind() == StageKind.GPU && !spec.prices().gpuShared();
    }

    /**
     * The demand's utilisation of the running replicas were they at the stage's highest rate: their own
     * evidence, never what an upstream stage is predicted to pass on. A batching GPU serves far more than its
     * utilisation at a light load suggests (its batches grow), so a whole GPU is bought on what it measurably
     * cannot serve: its arrivals and, when it falls behind, its backlog; less what upstream backlogs drained
     * into it in the window ({@code drained}, see {@link #upstreamDrain}): a one-off flow that ends when they
     * are empty, and a GPU bought for it is billed for hours.
     */
    public double utilAtMaxRate(StageSpec s, StageWindow w, double drained) {
        double util = headroom.demandUtil(w);
        if (drained > 0 && w.completions() > 0) {
            double volume = headroom.volume(w, 0);
            util = Math.min(util, w.utilisation() * Math.max(0, volume - drained) / w.completions());
        }
        return util * w.allocation().rate() / Math.max(1e-9, s.limits().maxRate());
    }

    /**
     * Requests the stages upstream of {@code stage} passed on from their shrinking backlogs in this window
     * (the sum of their queues' falls): after a burst they drain into the stages below, which then look
     * busier than the load they will carry.
     */
    public static double upstreamDrain(PipelineContext ctx, PipelineSpec spec, String stage) {
        double drained = 0;
        for (StageSpec s : spec.stages()) {
            if (s.name().equals(stage)) {
                return drained;
            }
            Optional<StageWindow> w = ctx.stage(s.name());
            if (w.isPresent()) {
                drained += Math.max(0, -w.get().queueGrowth());
            }
        }
        return drained;
    }

    /**
     * The fewest GPU replicas that serve the demand at the highest rate (at least what runs): below {@code
     * gpuUtil}; and while it queues past its share of the SLA ({@link #queuesPastItsShare}), one more than runs at
     * least: a GPU stage that keeps up but queues past the SLA does not serve the load either, but one window's p99
     * of long requests (text generation's) is often the noise of a few, and sizing it for the 60 % target bought
     * GPUs a 97 % busy stage meets the SLA without; the next round adds another if the queue stays.
     */
    public int replicasNeeded(StageSpec s, StageWindow w, boolean slaPressure, double drained, double shareMs) {
        int now = w.allocation().replicas();
        double util = utilAtMaxRate(s, w, drained);
        if (servesWithinShare(w, shareMs)) {
            util = Math.min(util, gpuUtil);
        }
        int needed = (int) Math.ceil(now * util / gpuUtil - 1e-9);
        if (slaPressure) {
            needed = Math.max(needed, now + 1);
        }
        return Math.min(s.limits().maxReplicas(), Math.max(now, needed));
    }

    /**
     * The stage serves what arrives within its share of the SLA ({@code shareMs}, its {@link #budgetMs}; NaN: not
     * known): its queue grew by no more than one standard deviation of the window's count of completions (a Poisson
     * count's noise), and its own p99 is within the share or, past it, nothing waits at the window's end beyond that
     * noise: the tail came from a backlog the window began with (a burst's onset, an upstream draining into it) and
     * the stage has served it; a GPU bought on that tail is billed long after it is gone. However busy such a GPU
     * stage is, it serves its load: a batching GPU runs near 100 % busy and serves more as its batches grow (nlp: one GPU 97 % busy served 254 requests/s at a p99 of 44
     * ms of its 67), so its busy time alone buys no GPU; a backlog or the SLA does.
     */
    public static boolean servesWithinShare(StageWindow w, double shareMs) {
        double noise = countNoise(w);
        return w.queueGrowth() <= noise && (w.p99Ms() <= shareMs || w.queueDepth() <= noise);
    }

    /**
     * The latency budget a stage's own p99 is judged by in this window ({@link #servesWithinShare}): its equal share
     * of the SLA ({@link PipelineSpec#stageShareMs}), or more where the other stages leave it more: what is left of
     * the pressure mark ({@link #SLA_PRESSURE} of the SLA) after their p99s; a stage within it does not put the
     * pipeline under pressure. The SLA is the pipeline's, and stages are not alike: text generation's decoder takes
     * 1.5-3 s of a 4 s SLA next to tokenizers of 20-100 ms, and judged by a third of the SLA its GPUs, 90-97 % busy
     * and serving their load with the pipeline at 70-89 % of the SLA, bought one more each time, that a fixed
     * allocation meets the SLA without. Where a stage reports no latency, the equal share.
     */
    public static double budgetMs(PipelineContext ctx, PipelineSpec spec, StageWindow w) {
        double share = spec.stageShareMs();
        if (!(ctx.slaMs() > 0)) {
            return share;
        }
        double others = 0;
        for (StageWindow o : ctx.stages()) {
            if (!o.stage().equals(w.stage())) {
                if (Double.isNaN(o.p99Ms())) {
                    return share;
                }
                others += o.p99Ms();
            }
        }
        return Math.max(share, SLA_PRESSURE * ctx.slaMs() - others);
    }

    /**
     * The move to {@code after} as far as whole GPUs allow it, or empty when it is allowed as it is: a lower
     * rate is kept at what runs; more replicas while the rate is below its highest become the highest rate
     * (the instant lever, free of charge); more replicas than {@link #replicasNeeded} are cut to it.
     */
    public Optional<Allocation> correction(StageSpec s, StageWindow w, Allocation after, boolean slaPressure,
                                           double drained, double shareMs) {
        Allocation now = w.allocation();
        StageLimits l = s.limits();
        Allocation out = after;
        if (after.rate() < now.rate() - 1e-9) {
            out = out.withRate(now.rate());
        }
        if (after.replicas() > now.replicas()) {
            if (now.rate() < l.maxRate() - 1e-9) {
                out = out.withReplicas(now.replicas()).withRate(l.maxRate());
            } else {
                out = out.withReplicas(Math.min(after.replicas(), replicasNeeded(s, w, slaPressure, drained, shareMs)));
            }
        }
        return out.equals(after) ? Optional.empty() : Optional.of(out);
    }

    /** True when whole GPUs leave the move to {@code after} as it is. */
    public boolean permits(PipelineContext ctx, PipelineSpec spec, StageSpec s, StageWindow w, Allocation after) {
        // Memory and probes act on calm windows: judged without SLA pressure.
        return !applies(spec, s) || correction(s, w, after, false, 0, budgetMs(ctx, spec, w)).isEmpty();
    }
}
