package io.sair.sim.bench;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageTarget;
import io.sair.sim.loop.Autoscaler;
import io.sair.sim.oracle.Hindsight;
import io.sair.sim.oracle.WorkBounds;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.StageModel;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wraps an autoscaler to record, at every 5 s report (the same instants for every autoscaler), the capacity the
 * plant's ready pods give, and the scaling actions the loop applies; it changes no decision. The loop's
 * {@code Trajectory} has pods per window but not what they serve, which the surge measure needs.
 *
 * <p>Capacity at an instant: the least over the stages of {@code ready pods x servers x 1000 / (mean raw ms per
 * request x slowdown at the stage's current allocation)} requests/s, the mean over this run's requests of
 * {@link WorkBounds#minRawMs} (GPU batches counted as full): the rate the ready pods sustain at best, for the
 * run's mix of requests. A pod rolling to new CPU is counted at the stage's target CPU.
 */
final class CapacityProbe implements Autoscaler {

    static final long SAMPLE_MS = 5_000;

    private final Autoscaler inner;
    private final PipelinePlant plant;
    private final List<StageModel> models;
    private final Hindsight future;
    private double[] tMs = new double[256];
    private double[] capacityRps = new double[256];
    private int n;
    private long actions;
    private long replicaChanges;

    CapacityProbe(Autoscaler inner, PipelinePlant plant, List<StageModel> models, Hindsight future) {
        this.inner = inner;
        this.plant = plant;
        this.models = models;
        this.future = future;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long decisionIntervalMs() {
        return inner.decisionIntervalMs();
    }

    @Override
    public boolean readsWindows() {
        return inner.readsWindows();
    }

    /** Every autoscaler is looked at every report; one without a fast path gets no surge call through. */
    @Override
    public long surgeIntervalMs() {
        return inner.surgeIntervalMs() > 0 ? inner.surgeIntervalMs() : SAMPLE_MS;
    }

    @Override
    public Optional<ScalingDecision> surge(Supplier<PipelineContext> shortWindow) {
        sample();
        return count(inner.surgeIntervalMs() > 0 ? inner.surge(shortWindow) : Optional.empty());
    }

    @Override
    public Optional<ScalingDecision> decide(PipelineContext ctx) {
        sample();
        return count(inner.decide(ctx));
    }

    /** The loop applies a present decision that changes anything: count its stage changes and replica steps. */
    private Optional<ScalingDecision> count(Optional<ScalingDecision> d) {
        if (d.isPresent() && d.get().changesAnything()) {
            for (StageTarget t : d.get().stages()) {
                if (t.changes()) {
                    actions++;
                    replicaChanges += Math.abs(t.dReplicas());
                }
            }
        }
        return d;
    }

    private void sample() {
        double cap = Double.POSITIVE_INFINITY;
        for (int i = 0; i < models.size(); i++) {
            StageModel m = models.get(i);
            Allocation a = plant.allocation(i);
            double perRequestMs = future.meanMinRawMs(i) * WorkBounds.slowdown(m, a);
            cap = Math.min(cap, perRequestMs <= 0 ? Double.POSITIVE_INFINITY
                    : plant.readyPods(i) * m.slots() * 1000.0 / perRequestMs);
        }
        if (n == tMs.length) {
            tMs = Arrays.copyOf(tMs, n * 2);
            capacityRps = Arrays.copyOf(capacityRps, n * 2);
        }
        tMs[n] = plant.now();
        capacityRps[n] = cap;
        n++;
    }

    double[] sampleTimesMs() {
        return Arrays.copyOf(tMs, n);
    }

    double[] capacityRps() {
        return Arrays.copyOf(capacityRps, n);
    }

    /** Stage changes the loop applied (a decision changing two stages counts two). */
    long scalingActions() {
        return actions;
    }

    /** The sum over applied changes of |replicas after - replicas before|. */
    long replicaChanges() {
        return replicaChanges;
    }
}
