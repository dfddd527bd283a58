package io.sair.sim.oracle;

import io.sair.core.model.Allocation;
import io.sair.core.model.Mode;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import io.sair.sim.loop.Autoscaler;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.StageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hindsight oracle: an autoscaler that knows the run's future arrivals ({@link Hindsight}). Every 5 s it sets
 * each stage's replicas (CPU, memory and rate stay as they started) to the fewest that keep the stage's busy share
 * at most {@code utilisation} in every 5 s bin from one SLA ago until one SLA after the time pods asked for now are
 * ready and the next decision's pods could be: a pod asked for now is ready after the start-up delay, so capacity
 * for a bin must be asked for that early, and no pod a bin still needs is taken away before it. Work per request is
 * {@link WorkBounds#minRawMs}, batches counted as full.
 *
 * <p>What it is and is not: a look-ahead heuristic on the true future, run on the same plant and requests as the
 * autoscalers, and a reference for what knowing the future is worth. It is not proven optimal: an autoscaler can
 * be cheaper at the same share within the SLA (e.g. by changing CPU), and the bench reports the gap either way.
 * The claims that hold for every autoscaler are {@link Hindsight}'s bounds.
 */
public final class OracleAutoscaler implements Autoscaler {

    public static final double[] UTILISATIONS = {0.5, 0.7, 0.9};
    static final long INTERVAL_MS = 5_000;

    private final PipelineSpec spec;
    private final List<StageModel> models;
    private final Hindsight future;
    private final PipelinePlant plant;
    private final double utilisation;
    /** Formatted once: a decision every 5 s formatted it each time, a tenth of an oracle run. */
    private final String reason;

    /** @param plant the plant it runs on, for the simulated time and what each stage runs now */
    public OracleAutoscaler(PipelineSpec spec, List<StageModel> models, Hindsight future, PipelinePlant plant,
                            double utilisation) {
        if (!(utilisation > 0 && utilisation <= 1)) {
            throw new IllegalArgumentException("utilisation must be in (0, 1], got " + utilisation);
        }
        this.spec = spec;
        this.models = models;
        this.future = future;
        this.plant = plant;
        this.utilisation = utilisation;
        this.reason = "oracle " + label(utilisation);
    }

    public static String label(double utilisation) {
        return String.format(Locale.ROOT, "busy <= %.0f%%", utilisation * 100);
    }

    @Override
    public String name() {
        return "oracle";
    }

    /** It decides from the future; the window's context is only the decision's header (pipeline, window end). */
    @Override
    public boolean readsWindows() {
        return false;
    }

    @Override
    public long decisionIntervalMs() {
        return INTERVAL_MS;
    }

    @Override
    public Optional<ScalingDecision> decide(PipelineContext ctx) {
        double now = plant.now();
        List<StageTarget> targets = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            StageSpec s = spec.stages().get(i);
            Allocation cur = plant.allocation(i);
            int want = replicasFor(i, cur, now);
            targets.add(StageTarget.of(s.name(), s.kind(), cur,
                    new Allocation(want, cur.cpuMillis(), cur.memoryMb(), cur.rate())));
        }
        return Optional.of(new ScalingDecision(ScalingDecision.VERSION, ScalingDecision.idFor(ctx.pipeline(),
                ctx.windowEnd()), ctx.pipeline(), ctx.windowEnd(), Mode.ENFORCE, Selector.BASELINE, targets, null, null,
                reason, null, null, ctx.p99Ms(), ctx.slaMs(), ctx.effectiveCostPerHour(), 0.0, 0));
    }

    /** The fewest replicas that keep every bin of the look-ahead at most {@code utilisation} busy, within limits. */
    int replicasFor(int stage, Allocation cur, double nowMs) {
        StageModel m = models.get(stage);
        StageLimits l = spec.stages().get(stage).limits();
        double sla = spec.slaP99Ms();
        int from = (int) Math.floor((nowMs - sla) / Hindsight.BIN_MS);
        int to = (int) Math.floor((nowMs + m.startupMs() + INTERVAL_MS + sla) / Hindsight.BIN_MS);
        double slow = WorkBounds.slowdown(m, cur);
        double perPodMs = Hindsight.BIN_MS * m.slots() * utilisation;
        int need = l.minReplicas();
        for (int b = from; b <= to; b++) {
            need = Math.max(need, (int) Math.ceil(future.rawWork(stage, b) * slow / perPodMs));
        }
        return Math.min(need, l.maxReplicas());
    }
}
