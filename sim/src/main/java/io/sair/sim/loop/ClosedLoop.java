package io.sair.sim.loop;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageMetrics;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.Totals;
import io.sair.sim.window.WindowAggregator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a plant with an autoscaler in process, in lockstep on simulated time: every window (30 s, or the
 * autoscaler's own {@link Autoscaler#decisionIntervalMs() decision interval}) the
 * plant advances, its StageMetrics become a PipelineContext through {@link WindowAggregator}, the
 * autoscaler decides, and the decision is applied at the window end. Ends when every request has
 * left, at {@code maxSimMs}, or {@link #DRAIN_MS} after the last arrival (requests still inside then
 * count as SLA violations; a crash-looping or hopelessly overloaded run cannot run forever).
 */
public final class ClosedLoop {

    public static final long WINDOW_MS = 30_000;
    public static final long DRAIN_MS = 6 * 3_600_000L;

    private final long windowMs;
    private final long maxSimMs;

    public ClosedLoop(long windowMs, long maxSimMs) {
        this.windowMs = windowMs;
        this.maxSimMs = maxSimMs;
    }

    public static ClosedLoop defaults() {
        return new ClosedLoop(WINDOW_MS, Long.MAX_VALUE / 4);
    }

    public RunResult run(String app, String pattern, long seed, PipelinePlant plant, Autoscaler autoscaler) {
        long wall0 = System.nanoTime();
        PipelineSpec spec = plant.spec();
        Trajectory traj = new Trajectory();
        long decisions = 0;
        long t = 0;
        long drainUntil = Long.MAX_VALUE;
        long step = autoscaler.decisionIntervalMs() > 0 ? autoscaler.decisionIntervalMs() : windowMs;
        plant.reportLatencies(autoscaler.readsWindows());
        while (!plant.finished() && t < maxSimMs && t < drainUntil) {
            if (plant.arrivalsDone() && drainUntil == Long.MAX_VALUE) {
                drainUntil = t + DRAIN_MS;
            }
            long end = t + step;
            List<StageMetrics> reports = advance(plant, spec, autoscaler, t, end);
            boolean read = autoscaler.readsWindows();
            PipelineContext ctx = read ? WindowAggregator.context(spec, t, end, reports) : WindowAggregator.unread(spec, end);
            double pods = 0;
            for (int i = 0; i < spec.stages().size(); i++) {
                pods += plant.pods(i);
            }
            traj.add(end / 1000.0, read ? ctx.arrivalRate() : Double.NaN, read ? ctx.p99Ms() : Double.NaN, pods,
                    read ? ctx.effectiveCostPerHour() : Double.NaN);
            if (!plant.finished()) {
                Optional<ScalingDecision> d = autoscaler.decide(ctx);
                if (d.isPresent() && d.get().changesAnything()) {
                    plant.apply(d.get());
                    decisions++;
                }
            }
            decisions += surges;
            surges = 0;
            t = end;
        }
        if (!plant.finished()) {
            plant.abandonInFlight();
        }
        return result(app, pattern, autoscaler.name(), seed, plant, decisions, traj, (System.nanoTime() - wall0) / 1e9);
    }

    /** Surge decisions applied in the window being advanced (counted with the window's decision). */
    private long surges;

    /**
     * The plant's reports from {@code from} to {@code to}. With a fast path the window is advanced one report
     * period at a time and each period's short window goes to it (not the last one: the round decides there);
     * its decisions are applied at once, as the job's actuator would.
     */
    private List<StageMetrics> advance(PipelinePlant plant, PipelineSpec spec, Autoscaler autoscaler, long from, long to) {
        long period = autoscaler.surgeIntervalMs();
        if (period <= 0 || period >= to - from) {
            return plant.advance(to);
        }
        List<StageMetrics> all = new ArrayList<>();
        for (long a = from; a < to; a += period) {
            long b = Math.min(to, a + period);
            List<StageMetrics> part = plant.advance(b);
            all.addAll(part);
            if (b < to && !plant.finished()) {
                long start = a;
                Optional<ScalingDecision> d = autoscaler.surge(() -> WindowAggregator.context(spec, start, b, part));
                if (d.isPresent() && d.get().changesAnything()) {
                    plant.apply(d.get());
                    surges++;
                }
            }
        }
        return all;
    }

    static RunResult result(String app, String pattern, String autoscaler, long seed, PipelinePlant plant, long decisions,
                            Trajectory traj, double wallSeconds) {
        Totals tt = plant.totals();
        double end = tt.endMs();
        double bill = tt.spentAtEnd().billableDollars();
        double eff = tt.spentAtEnd().effectiveDollars();
        double podMs = tt.spentAtEnd().podMs();
        double span = Math.max(1e-3, (tt.lastCompletionMs() - tt.firstArrivalMs()) / 1000);
        double slaPct = tt.arrived() == 0 ? 0 : 100.0 * (tt.slaViolations() + tt.failed()
                + (tt.arrived() - tt.completed() - tt.failed())) / tt.arrived();
        boolean any = tt.e2eMicros().getTotalCount() > 0;
        double p50 = !any ? Double.NaN : tt.e2eMicros().getValueAtPercentile(50) / 1000.0;
        double p99 = !any ? Double.NaN : tt.e2eMicros().getValueAtPercentile(99) / 1000.0;
        double per1k = tt.completed() == 0 ? Double.NaN : 1000.0 / tt.completed();
        return new RunResult(app, pattern, autoscaler, seed, tt.arrived(), p50, p99, slaPct, tt.completed() / span,
                bill * per1k, eff * per1k, decisions, podMs / Math.max(1e-3, end), tt.failed(), tt.oomKills(), end / 1000.0,
                wallSeconds, traj);
    }
}
