package io.sair.core.surge;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.ActionType;
import io.sair.core.model.Allocation;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.Proposal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast path's decision rule on one 5 s report period. */
class SurgeRuleTest {

    static final long END = 305_000;
    static final long PERIOD = 5_000;

    /** One stage's 5 s window: what arrived, what completed, the busy share, the queue at the end. */
    record Period(Allocation alloc, long arrivals, long completions, double busy, long queue) {
    }

    static PipelineSpec spec(boolean inPlace) {
        KubeTarget k = inPlace ? new KubeTarget("ns", "pre", "main", true) : null;
        return new PipelineSpec(null, "p", List.of(
                new StageSpec("pre", StageKind.CPU, k, null, null, null),
                StageSpec.of("inf", StageKind.GPU),
                StageSpec.of("post", StageKind.CPU)), 150.0, null, null, null);
    }

    static PipelineContext window(PipelineSpec spec, Period... periods) {
        List<StageWindow> ws = new ArrayList<>();
        for (int i = 0; i < periods.length; i++) {
            StageSpec s = spec.stages().get(i);
            Period p = periods[i];
            boolean gpu = s.kind() == StageKind.GPU;
            ws.add(new StageWindow("p", s.name(), s.kind(), END - PERIOD, END, 1, p.alloc(), p.arrivals(), p.completions(),
                    p.queue(), 0, gpu ? 0.1 : p.busy(), 0.3, gpu ? p.busy() : 0.0, 10, 40, Double.NaN, 0));
        }
        return new PipelineContext("p", END, ws, List.of(), 80, spec.slaP99Ms(), periods[0].arrivals() / 5.0, 1, 1, 10);
    }

    static Allocation cpu(int replicas, int millis) {
        return new Allocation(replicas, millis, 2048, 1.0);
    }

    static Allocation gpu(int replicas, double rate) {
        return new Allocation(replicas, 2000, 4096, rate);
    }

    static Period steady(Allocation a, double busy) {
        return new Period(a, 300, 300, busy, 1);
    }

    static Optional<StageAction> action(Optional<Proposal> p, String stage) {
        return p.flatMap(x -> x.action().forStage(stage));
    }

    @Test
    void aStepOnACpuStageAddsReplicasSizedForTheDemandAndTheBacklog() {
        PipelineSpec spec = spec(false);
        // 200/s arrive, the two replicas complete 120/s fully busy, 400 already wait.
        Optional<Proposal> p = SurgeRule.defaults().propose(window(spec,
                new Period(cpu(2, 2000), 1000, 600, 1.0, 400), steady(gpu(1, 1.0), 0.5), steady(cpu(1, 500), 0.3)), spec);
        StageAction pre = action(p, "pre").orElseThrow();
        assertThat(pre.action()).isEqualTo(ActionType.SCALE_REPLICAS);
        // (200 + 400/30) / (0.6 x 120) = 2.96 -> 2 x 2.96 -> 6
        assertThat(pre.replicas()).isEqualTo(6);
        assertThat(p.get().rationale()).startsWith("surge:").contains("pre");
        assertThat(action(p, "inf")).isEmpty();
        assertThat(action(p, "post")).isEmpty();
    }

    @Test
    void steadyLoadEvenBusyOrWithNoiseDoesNothing() {
        PipelineSpec spec = spec(false);
        // The overload test alone (no panic mark): its noise margin is what is checked here.
        SurgeRule rule = new SurgeRule(0.6, 0.9, 30_000, 3.0, 0.05, Double.POSITIVE_INFINITY);
        SurgeRule defaults = SurgeRule.defaults();
        SplittableRandom rng = new SplittableRandom(7);
        SurgeRule noMargin = new SurgeRule(0.6, 0.9, 30_000, 0.0, 0.05, Double.POSITIVE_INFINITY);
        int busyWindows = 0;
        int noMarginSurges = 0;
        for (int i = 0; i < 5_000; i++) {
            // A stage sized for 60-95% utilisation; 5 s Poisson counts around a mean of 300 (sd ~17), so some
            // windows bring more than it can serve and leave a small queue.
            double rho = 0.6 + 0.35 * rng.nextDouble();
            double capacity = 300 / rho;
            long arrivals = Math.max(0, Math.round(300 + Math.sqrt(300) * gaussian(rng)));
            long completions = Math.round(Math.min(arrivals, capacity));
            long queue = Math.max(0, arrivals - completions);
            busyWindows += queue > 0 ? 1 : 0;
            Period pre = new Period(cpu(2, 2000), arrivals, completions, completions / capacity, queue);
            PipelineContext w = window(spec, pre, steady(gpu(1, 0.6), 0.5), steady(cpu(1, 500), 0.3));
            assertThat(rule.propose(w, spec)).as("window %d", i).isEmpty();
            if (rho <= 0.8) {
                // Below the panic mark with room for the noise, the defaults do nothing either.
                assertThat(defaults.propose(w, spec)).as("window %d at %.2f", i, rho).isEmpty();
            }
            noMarginSurges += noMargin.propose(w, spec).isPresent() ? 1 : 0;
        }
        assertThat(busyWindows).as("windows that outran the stage by chance").isGreaterThan(30);
        // Without the noise margin those chance windows would each have bought capacity for the 300 s hold.
        assertThat(noMarginSurges).isGreaterThan(30);
    }

    @Test
    void aRisingLoadSurgesAtThePanicMarkBeforeTheStageIsOverloaded() {
        PipelineSpec spec = spec(false);
        // 130.8/s arrive at two replicas completing 122.4/s at 98 % busy (124.9/s fully busy): within 3 sigma of
        // what it completes, so not "overloaded" yet, but past 85 % of its capacity beyond the noise: new pods take
        // their start-up time, so the order goes out now (the first flash crowd of the image benchmark).
        Optional<Proposal> p = SurgeRule.defaults().propose(window(spec,
                new Period(cpu(2, 2000), 654, 612, 0.98, 45), steady(gpu(1, 1.0), 0.5), steady(cpu(1, 500), 0.3)), spec);
        // (130.8 + 45/30) / (0.6 x 124.9) = 1.77 -> 4 replicas
        assertThat(action(p, "pre").orElseThrow().replicas()).isEqualTo(4);
        // A GPU billed whole at the same mark does not panic: it is bought when it cannot serve.
        assertThat(SurgeRule.defaults().propose(window(spec, steady(cpu(4, 2000), 0.5),
                new Period(gpu(1, 1.0), 654, 612, 0.98, 45), steady(cpu(1, 500), 0.3)), spec)).isEmpty();
        // The same stage at 70 % busy does not panic.
        assertThat(SurgeRule.defaults().propose(window(spec, new Period(cpu(2, 2000), 436, 432, 0.71, 3),
                steady(gpu(1, 1.0), 0.5), steady(cpu(1, 500), 0.3)), spec)).isEmpty();
    }

    @Test
    void aLoadRisingAsALinePanicsOnWhereItWillBeSizedForWhatArrives() {
        PipelineSpec spec = spec(false);
        // 131.6/s at three replicas 90 % busy (146/s fully busy): arrivals less their noise are 116/s, under the
        // panic mark (124/s), and nothing waits (the image benchmark's second flash crowd, 15 s before it overran).
        PipelineContext w = window(spec, new Period(cpu(3, 1500), 658, 656, 0.90, 0), steady(gpu(1, 1.0), 0.5),
                steady(cpu(1, 500), 0.3));
        assertThat(SurgeRule.defaults().propose(w, spec)).isEmpty();
        // Rising as a line for 20 s, projected 30 s on: it panics now, and orders for what arrives now
        // (131.6 / (0.6 x 146) x 3 replicas = 4.5): the next reports order again if the rise goes on.
        double g = ArrivalTrendTest.periods(4_090_000, 5_000, 101.8, 109.4, 117.0, 131.6).growth(30_000);
        Optional<Proposal> p = SurgeRule.defaults().propose(w, spec, s -> true, s -> 0, g);
        assertThat(action(p, "pre").orElseThrow().replicas()).isEqualTo(5);
        // A GPU billed whole is not bought on a projection.
        PipelineContext gpuBusy = window(spec, steady(cpu(6, 2000), 0.5), new Period(gpu(1, 1.0), 658, 656, 0.90, 0),
                steady(cpu(1, 500), 0.3));
        assertThat(SurgeRule.defaults().propose(gpuBusy, spec, s -> true, s -> 0, g)).isEmpty();
    }

    @Test
    void aLoadThatFitsWhatRunsDoesNothingEvenWithABacklogDraining() {
        PipelineSpec spec = spec(false);
        // Saturated, but arrivals (100/s) are below what it completes (120/s): the backlog drains by the next round.
        Optional<Proposal> p = SurgeRule.defaults().propose(window(spec,
                new Period(cpu(2, 2000), 500, 600, 1.0, 300), steady(gpu(1, 1.0), 0.5), steady(cpu(1, 500), 0.3)), spec);
        assertThat(p).isEmpty();
    }

    @Test
    void aThrottledGpuRaisesItsRateFirstAndAddsNoReplica() {
        PipelineSpec spec = spec(false);
        Optional<Proposal> p = SurgeRule.defaults().propose(window(spec, steady(cpu(4, 2000), 0.5),
                new Period(gpu(2, 0.4), 1000, 600, 1.0, 400), steady(cpu(2, 500), 0.3)), spec);
        StageAction inf = action(p, "inf").orElseThrow();
        assertThat(inf.action()).isEqualTo(ActionType.ADJUST_RATE);
        // x2.96 of 0.4 wants 1.19: the rate stops at its bound, 1.0; replicas wait for a report at that rate.
        assertThat(inf.rateRatio()).isEqualTo(1.0);
        assertThat(inf.replicas()).isNull();
    }

    @Test
    void aGpuAtFullRateThatCannotServeGetsReplicas() {
        PipelineSpec spec = spec(false);
        Optional<Proposal> p = SurgeRule.defaults().propose(window(spec, steady(cpu(4, 2000), 0.5),
                new Period(gpu(1, 1.0), 1000, 600, 1.0, 400), steady(cpu(2, 500), 0.3)), spec);
        StageAction inf = action(p, "inf").orElseThrow();
        assertThat(inf.action()).isEqualTo(ActionType.SCALE_REPLICAS);
        // Whole GPUs: the fewest that serve 213/s below saturation (90% of 120/s each), not the 60% target's 3.
        assertThat(inf.replicas()).isEqualTo(2);
    }

    @Test
    void aCpuStageThatResizesInPlaceGetsUpToDoubleItsCpuAndReplicasForTheRest() {
        PipelineSpec spec = spec(true);
        PipelineContext w = window(spec,
                new Period(cpu(2, 2000), 1000, 600, 1.0, 400), steady(gpu(1, 1.0), 0.5), steady(cpu(1, 500), 0.3));
        Optional<Proposal> p = SurgeRule.defaults().propose(w, spec);
        StageAction pre = action(p, "pre").orElseThrow();
        assertThat(pre.action()).isEqualTo(ActionType.SCALE_BOTH);
        assertThat(pre.cpuMillicores()).isEqualTo(4000);
        // x2.96 over a 2x resize leaves x1.48 -> 3 replicas
        assertThat(pre.replicas()).isEqualTo(3);
        assertThat(pre.memoryMb()).isNull();
        // The validator lets an in-place rise double the CPU; rolling the pods, one step (500 m).
        var validator = io.sair.core.validate.ActionValidator.sair();
        var none = io.sair.core.validate.Cooldowns.none();
        assertThat(validator.validate(p.get().action(), w, spec, none, w.windowEnd()).targets().get(0).cpuMillis())
                .isEqualTo(4000);
        PipelineSpec rolling = spec(false);
        assertThat(validator.validate(p.get().action(), window(rolling, new Period(cpu(2, 2000), 1000, 600, 1.0, 400),
                steady(gpu(1, 1.0), 0.5), steady(cpu(1, 500), 0.3)), rolling, none, w.windowEnd()).targets().get(0)
                .cpuMillis()).isEqualTo(2500);
    }

    @Test
    void aStageDownstreamOfAnOverloadedOneIsSizedForWhatItWillReceive() {
        PipelineSpec spec = io.sair.core.Fixtures.sharedGpus(spec(false));
        // The GPU is busy but its arrivals equal its completions: the saturated preprocessing holds them back.
        Optional<Proposal> p = SurgeRule.defaults().propose(window(spec,
                new Period(cpu(2, 2000), 1000, 600, 1.0, 400), new Period(gpu(2, 0.2), 600, 600, 0.95, 0),
                steady(cpu(2, 500), 0.3)), spec);
        assertThat(action(p, "pre")).isPresent();
        StageAction inf = action(p, "inf").orElseThrow();
        assertThat(inf.action()).isEqualTo(ActionType.ADJUST_RATE);
        assertThat(inf.rateRatio()).isGreaterThan(0.2);
        // The same inference window without the overloaded upstream is left alone.
        assertThat(action(SurgeRule.defaults().propose(window(spec, steady(cpu(4, 2000), 0.5),
                new Period(gpu(2, 0.2), 600, 600, 0.95, 0), steady(cpu(2, 500), 0.3)), spec), "inf")).isEmpty();
    }

    @Test
    void aStageThatNeedsNothingPassesTheUpstreamsDrainOnToTheNext() {
        PipelineSpec spec = spec(false);
        // A burst's first report: preprocessing saturated with a backlog; the GPU (billed whole) serves what it gets
        // at half its busy budget; postprocessing at 120/s of its 200/s. Once sized, preprocessing drains its
        // backlog through the GPU at (200/s + 400 / 30 s) / 0.6 = 356/s: postprocessing is sized for that at the
        // 60 % target (3 replicas) in the same surge, not a report later on its own backlog. The GPU's light-load
        // figure (240/s fully busy) does not cap it: a batching GPU serves more loaded.
        Optional<Proposal> p = SurgeRule.defaults().propose(window(spec,
                new Period(cpu(2, 2000), 1000, 600, 1.0, 400), new Period(gpu(1, 1.0), 600, 600, 0.5, 0),
                new Period(cpu(1, 500), 600, 600, 0.6, 0)), spec);
        assertThat(action(p, "pre")).isPresent();
        assertThat(action(p, "inf")).as("the GPU serves it").isEmpty();
        assertThat(action(p, "post").orElseThrow().replicas()).isEqualTo(3);
        // Without the upstream's backlog the same postprocessing window needs nothing.
        assertThat(action(SurgeRule.defaults().propose(window(spec, steady(cpu(4, 2000), 0.5),
                new Period(gpu(1, 1.0), 600, 600, 0.5, 0), new Period(cpu(1, 500), 600, 600, 0.6, 0)), spec), "post"))
                .isEmpty();
    }

    @Test
    void aGpuBilledWholeIsNotBoughtOnWhatAnUpstreamIsPredictedToPassOn() {
        PipelineSpec spec = spec(false);
        // As above, with the GPUs billed whole: the GPU keeps up with what it receives, so it gets nothing yet.
        Optional<Proposal> p = SurgeRule.defaults().propose(window(spec,
                new Period(cpu(2, 2000), 1000, 600, 1.0, 400), new Period(gpu(2, 1.0), 600, 600, 0.95, 0),
                steady(cpu(2, 500), 0.3)), spec);
        assertThat(action(p, "pre")).isPresent();
        assertThat(action(p, "inf")).isEmpty();
    }

    @Test
    void neverProposesLessThanWhatRuns() {
        PipelineSpec spec = spec(true);
        SurgeRule rule = SurgeRule.defaults();
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 5_000; i++) {
            Period[] ps = new Period[3];
            for (int s = 0; s < 3; s++) {
                Allocation a = s == 1 ? gpu(1 + rng.nextInt(8), 0.1 + 0.9 * rng.nextDouble())
                        : cpu(1 + rng.nextInt(8), 250 + rng.nextInt(7750));
                ps[s] = new Period(a, rng.nextInt(5000), rng.nextInt(3000), rng.nextDouble() * 1.1, rng.nextInt(5000));
            }
            PipelineContext w = window(spec, ps);
            ScalingAction act = rule.propose(w, spec).map(Proposal::action).orElse(ScalingAction.none());
            for (StageAction a : act.stages()) {
                Allocation now = w.stage(a.stage()).orElseThrow().allocation();
                Allocation after = a.applyTo(now);
                assertThat(after.replicas()).isGreaterThanOrEqualTo(now.replicas());
                assertThat(after.cpuMillis()).isGreaterThanOrEqualTo(now.cpuMillis());
                assertThat(after.memoryMb()).isEqualTo(now.memoryMb());
                assertThat(after.rate()).isGreaterThanOrEqualTo(now.rate());
                assertThat(after).isNotEqualTo(now);
            }
        }
    }

    @Test
    void aStageAtItsLimitsProposesNothing() {
        PipelineSpec spec = spec(false);
        Optional<Proposal> p = SurgeRule.defaults().propose(window(spec,
                new Period(cpu(8, 2000), 1000, 600, 1.0, 400), steady(gpu(1, 1.0), 0.5), steady(cpu(1, 500), 0.3)), spec);
        assertThat(p).isEmpty();
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /**
     * Four replicas reported, two of them still starting: the window's rate is what the two ready ones completed
     * (120/s fully busy), and sized on it the surge doubles an order that already covers the demand. With the rate
     * the stage was seen to serve per core (30/s), the four ordered are enough and nothing more is ordered; past
     * them, the learned rate sizes what is added.
     */
    @Test
    void replicasStillStartingAreNotOrderedAgainWhereTheLearnedRateSaysTheOrderServes() {
        PipelineSpec spec = spec(false);
        PipelineContext w = window(spec, new Period(cpu(4, 2000), 700, 600, 1.0, 100), steady(gpu(1, 1.0), 0.5),
                steady(cpu(1, 500), 0.3));
        // Demand (140 + 100/30)/s = 143.3/s; on the window's rate: 4 x 143.3 / (0.6 x 120) -> 8 replicas.
        assertThat(action(SurgeRule.defaults().propose(w, spec), "pre").orElseThrow().replicas()).isEqualTo(8);
        // Learned 30/s per core: 143.3 / (0.6 x 30) = 8.0 cores, 4 replicas of 2 cores: nothing to add.
        assertThat(action(SurgeRule.defaults().propose(w, spec, s -> true, s -> s.equals("pre") ? 30.0 : 0), "pre"))
                .isEmpty();
        // Learned 20/s per core: 143.3 / (0.6 x 20) = 11.9 cores -> 6 replicas.
        assertThat(action(SurgeRule.defaults().propose(w, spec, s -> true, s -> s.equals("pre") ? 20.0 : 0), "pre")
                .orElseThrow().replicas()).isEqualTo(6);
    }
}
