package io.sair.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sair.core.Fixtures;
import io.sair.core.cost.CostModel;
import io.sair.core.model.ActionType;
import io.sair.core.model.Allocation;
import io.sair.core.model.Bottleneck;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadroomTest {

    private final Headroom h = Headroom.defaults();
    private final PipelineSpec spec = Fixtures.spec();

    private static StageWindow window(String name, StageKind kind, Allocation a, double util, long arrivals,
                                      long completions, long queue, long growth, double memUtil) {
        return new StageWindow("imgcls", name, kind, 0, 30_000, 6, a, arrivals, completions, queue, growth,
                kind == StageKind.CPU ? util : 0.2, memUtil, kind == StageKind.GPU ? util : 0.0, 20, 50, Double.NaN, 0);
    }

    private PipelineContext context(double p99Ms, double arrivalRate, StageWindow... stages) {
        List<Allocation> allocs = java.util.Arrays.stream(stages).map(StageWindow::allocation).toList();
        return new PipelineContext("imgcls", 30_000, List.of(stages), List.of(), p99Ms, spec.slaP99Ms(), arrivalRate,
                CostModel.billable(spec, allocs), CostModel.effective(spec, allocs), CostModel.maxEffective(spec));
    }

    private StageWindow calm(String name, StageKind kind, Allocation a, double util) {
        return window(name, kind, a, util, 3000, 3000, 0, 0, 0.3);
    }

    @Test
    void utilisationAfterAShrinkScalesWithCapacity() {
        StageWindow w = calm("preprocess", StageKind.CPU, Fixtures.alloc(4), 0.3);
        assertThat(h.utilAfter(w, Fixtures.alloc(3))).isCloseTo(0.4, within(1e-9));
        assertThat(h.utilAfter(w, Fixtures.alloc(4).withCpuMillis(500))).isCloseTo(0.6, within(1e-9));
        StageWindow gpu = calm("inference", StageKind.GPU, Fixtures.alloc(2).withRate(0.5), 0.4);
        assertThat(h.utilAfter(gpu, Fixtures.alloc(2).withRate(0.4))).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aShrinkNeedsRoomNowAndAtTheRecentPeak() {
        StageWindow w = calm("preprocess", StageKind.CPU, Fixtures.alloc(4), 0.3);
        StageWindow pre = w;
        PipelineContext ok = context(50, 100, pre, calm("inference", StageKind.GPU, Fixtures.alloc(1), 0.3),
                calm("postprocess", StageKind.CPU, Fixtures.alloc(1), 0.3));
        assertThat(h.allowsShrink(ok, w, Fixtures.alloc(3), 0)).isTrue();
        assertThat(h.allowsShrink(ok, w, Fixtures.alloc(3), 200)).as("0.4 x 2 = 0.8 at the peak").isTrue();
        assertThat(h.allowsShrink(ok, w, Fixtures.alloc(3), 300)).as("0.4 x 3 = 1.2 at the peak").isFalse();
        assertThat(h.allowsShrink(ok, w, Fixtures.alloc(1), 0)).as("1.2 now").isFalse();
        PipelineContext nearSla = context(170, 100, pre, calm("inference", StageKind.GPU, Fixtures.alloc(1), 0.3),
                calm("postprocess", StageKind.CPU, Fixtures.alloc(1), 0.3));
        assertThat(h.allowsShrink(nearSla, w, Fixtures.alloc(3), 0)).as("p99 at 85% of the SLA").isFalse();
        StageWindow growing = window("preprocess", StageKind.CPU, Fixtures.alloc(4), 0.3, 3000, 2900, 100, 100, 0.3);
        assertThat(h.allowsShrink(ok, growing, Fixtures.alloc(3), 0)).as("backlog building").isFalse();
    }

    @Test
    void aReplicaGivenBackKeepsRoomForTheRiseAndCpuTakenKeepsRoomForThePeak() {
        // 100/s now, 300/s remembered, but the load moved by at most a fifth within a scale-up delay lately.
        StageWindow w = calm("preprocess", StageKind.CPU, Fixtures.alloc(4), 0.3);
        PipelineContext ctx = context(50, 100, w, calm("inference", StageKind.GPU, Fixtures.alloc(1), 0.3),
                calm("postprocess", StageKind.CPU, Fixtures.alloc(1), 0.3));
        Headroom.Peaks peaks = new Headroom.Peaks(300, LoadRise.peakToKeep(300, 100, 1.2));
        assertThat(h.allowsShrink(ctx, w, Fixtures.alloc(3), 300)).as("0.4 x 3 at the peak").isFalse();
        assertThat(h.allowsShrink(ctx, w, Fixtures.alloc(3), peaks)).as("0.4 x 1.2: a replica is back within the delay")
                .isTrue();
        // Taking CPU from the pods comes back one step per decision: the whole peak must fit.
        Allocation lessCpu = Fixtures.alloc(4).withCpuMillis(Fixtures.alloc(4).cpuMillis() * 3 / 4);
        assertThat(h.utilAfter(w, lessCpu)).isCloseTo(0.4, within(1e-9));
        assertThat(h.allowsShrink(ctx, w, lessCpu, peaks)).isFalse();
        assertThat(h.allowsShrink(ctx, w, lessCpu, new Headroom.Peaks(200, 120))).as("0.4 x 2 at the peak").isTrue();
    }

    @Test
    void aGpuStageOfLongRequestsShrinksPastTheTargetWhereTheQueueingModelSaysItsWaitFits() {
        // Text generation: four GPUs 53 % busy at 9.7 req/s (218 ms of work each), p99 1.1 s of a 4 s SLA. One GPU
        // fewer is 71 % busy, over the 60 % target, and M/M/3 puts its p99 wait 0.6 s above M/M/4's.
        StageWindow gpu = window("inference", StageKind.GPU, Fixtures.alloc(4), 0.53, 291, 291, 0, 0, 0.3);
        PipelineSpec longSla = new PipelineSpec(spec.v(), spec.name(), spec.stages(), 4000.0, spec.prices(),
                spec.policy(), spec.mode());
        PipelineContext ctx = new PipelineContext("imgcls", 30_000, List.of(gpu), List.of(), 1100, longSla.slaP99Ms(),
                9.7, 1.0, 1.0, 1.0);
        assertThat(h.utilAfter(gpu, Fixtures.alloc(3))).isGreaterThan(h.targetUtil());
        assertThat(h.waitFitsAfter(ctx, gpu, Fixtures.alloc(3))).isTrue();
        assertThat(h.allowsShrink(ctx, gpu, Fixtures.alloc(3), 0)).isTrue();
        assertThat(h.allowsShrink(ctx, gpu, Fixtures.alloc(2), 0)).as("106 % busy").isFalse();
        // The same stage under a 1.5 s SLA: 1.1 s + 0.6 s is over 80 % of it.
        PipelineContext tight = new PipelineContext("imgcls", 30_000, List.of(gpu), List.of(), 1100, 1500, 9.7, 1.0,
                1.0, 1.0);
        assertThat(h.allowsShrink(tight, gpu, Fixtures.alloc(3), 0)).isFalse();
        // A CPU stage keeps the target's headroom: its pods are cheap, and bursts need them.
        StageWindow cpu = window("preprocess", StageKind.CPU, Fixtures.alloc(4), 0.53, 291, 291, 0, 0, 0.3);
        assertThat(h.waitFitsAfter(ctx, cpu, Fixtures.alloc(3))).isFalse();
    }

    /**
     * A shared GPU gives back rate by the same wait: four GPUs at rate 1.0, 53 % busy, p99 1.1 s of 4 s; at rate 0.8
     * each is 66 % busy (over the target), its requests take 273 ms instead of 218, and M/M/4 says the p99 rises by
     * well under the room left. At rate 0.6 each would be 88 % busy, past the 85 % a shrink may leave.
     */
    @Test
    void aSharedGpuLowersItsRateWhereTheQueueingModelSaysItsWaitFits() {
        StageWindow gpu = window("inference", StageKind.GPU, Fixtures.alloc(4), 0.53, 291, 291, 0, 0, 0.3);
        PipelineContext ctx = new PipelineContext("imgcls", 30_000, List.of(gpu), List.of(), 1100, 4000, 9.7, 1.0, 1.0,
                1.0);
        assertThat(h.utilAfter(gpu, Fixtures.alloc(4).withRate(0.8))).isGreaterThan(h.targetUtil());
        assertThat(h.waitFitsAfter(ctx, gpu, Fixtures.alloc(4).withRate(0.8))).isTrue();
        assertThat(h.waitFitsAfter(ctx, gpu, Fixtures.alloc(4).withRate(0.6))).isFalse();
        // Fewer replicas and a lower rate at once is two steps: not judged here.
        assertThat(h.waitFitsAfter(ctx, gpu, Fixtures.alloc(3).withRate(0.8))).isFalse();
    }

    @Test
    void aSaturatedStageIsSizedForItsArrivalsAndBacklog() {
        StageWindow w = window("preprocess", StageKind.CPU, Fixtures.alloc(2), 1.0, 3000, 3000, 3000, 3000, 0.3);
        assertThat(h.demandUtil(w)).isCloseTo(2.0, within(1e-9));
        assertThat(h.sizedUp(spec.stages().get(0), w).replicas()).isEqualTo(7);
    }

    @Test
    void aGpuStageRaisesItsRateBeforeItsReplicas() {
        StageWindow w = calm("inference", StageKind.GPU, Fixtures.alloc(2).withRate(0.3), 0.9);
        assertThat(h.sizedUp(spec.stages().get(1), w)).isEqualTo(Fixtures.alloc(2).withRate(0.45));
        StageWindow full = calm("inference", StageKind.GPU, Fixtures.alloc(1).withRate(0.9), 0.9);
        Allocation a = h.sizedUp(spec.stages().get(1), full);
        assertThat(a.rate()).isEqualTo(1.0);
        assertThat(a.replicas()).isEqualTo(2);
    }

    @Test
    void theRuleSizesTheDownstreamStageForTheReleasedBacklogInTheSameRound() {
        StageWindow pre = window("preprocess", StageKind.CPU, Fixtures.alloc(2), 1.0, 3000, 3000, 3000, 3000, 0.3);
        StageWindow inf = calm("inference", StageKind.GPU, Fixtures.alloc(1), 0.2);
        StageWindow post = calm("postprocess", StageKind.CPU, Fixtures.alloc(1), 0.5);
        PipelineContext ctx = context(5000, 100, pre, inf, post);
        Proposal p = BottleneckRule.defaults().propose(new PolicyInput(ctx, spec, List.of(), new double[0],
                Bottleneck.PREPROCESSING, List.of("preprocess"), 30_000));
        assertThat(p.action().stages()).extracting(StageAction::stage).containsExactly("preprocess", "postprocess");
        assertThat(p.action().stages().get(1).replicas()).as("0.5 x 6000/3000 = 1.0 -> 2 replicas at 60%").isEqualTo(2);
    }

    @Test
    void anOutOfMemoryStageGetsMemoryNotJustReplicas() {
        StageWindow pre = window("preprocess", StageKind.CPU, Fixtures.alloc(2), 0.5, 3000, 3000, 0, 0, 1.0);
        PipelineContext ctx = context(100, 100, pre, calm("inference", StageKind.GPU, Fixtures.alloc(1), 0.2),
                calm("postprocess", StageKind.CPU, Fixtures.alloc(1), 0.2));
        Proposal p = BottleneckRule.defaults().propose(new PolicyInput(ctx, spec, List.of(), new double[0],
                Bottleneck.NONE, List.of(), 30_000));
        StageAction a = p.action().stages().get(0);
        assertThat(a.action()).isEqualTo(ActionType.SCALE_BOTH);
        assertThat(a.memoryMb()).isGreaterThan(1024);
    }

    @Test
    void theRuleGivesUpAGpuThatIsNotIdleWhenItsWaitFitsTheSla() {
        StageWindow pre = calm("preprocess", StageKind.CPU, Fixtures.alloc(2), 0.5);
        StageWindow gpu = window("inference", StageKind.GPU, Fixtures.alloc(4), 0.53, 291, 291, 0, 0, 0.3);
        StageWindow post = calm("postprocess", StageKind.CPU, Fixtures.alloc(1), 0.5);
        PipelineSpec longSla = new PipelineSpec(spec.v(), spec.name(), spec.stages(), 4000.0, spec.prices(),
                spec.policy(), spec.mode());
        PipelineContext ctx = new PipelineContext("imgcls", 30_000, List.of(pre, gpu, post), List.of(), 1100, 4000,
                9.7, 1.0, 1.0, 1.0);
        Proposal p = BottleneckRule.defaults().propose(new PolicyInput(ctx, longSla, List.of(), new double[0],
                Bottleneck.NONE, List.of(), 30_000));
        assertThat(p.action().stages()).singleElement().satisfies(a -> {
            assertThat(a.stage()).isEqualTo("inference");
            assertThat(a.replicas()).isEqualTo(3);
        });
        // At a 200 ms SLA the same p99 is pressure, not room: nothing shrinks.
        PipelineContext tight = new PipelineContext("imgcls", 30_000, List.of(pre, gpu, post), List.of(), 90, 200, 9.7,
                1.0, 1.0, 1.0);
        assertThat(BottleneckRule.defaults().propose(new PolicyInput(tight, spec, List.of(), new double[0],
                Bottleneck.NONE, List.of(), 30_000)).action().stages()).isEmpty();
    }

    @Test
    void anIdlePodShrinksItsCpuToTheStagesLeastWhereAWholeStepWouldCrossIt() {
        // One replica at 500 m, 9 % busy: the least is 250 m and a step 500 m. The step stops at the bound.
        StageWindow pre = calm("preprocess", StageKind.CPU, Fixtures.alloc(1).withCpuMillis(500), 0.09);
        StageWindow gpu = calm("inference", StageKind.GPU, Fixtures.alloc(1), 0.55);
        StageWindow post = calm("postprocess", StageKind.CPU, Fixtures.alloc(1), 0.5);
        Proposal p = BottleneckRule.defaults().propose(new PolicyInput(context(50, 100, pre, gpu, post), spec,
                List.of(), new double[0], Bottleneck.NONE, List.of(), 30_000));
        assertThat(p.action().stages()).singleElement().satisfies(a -> {
            assertThat(a.stage()).isEqualTo("preprocess");
            assertThat(a.cpuMillicores()).isEqualTo(250);
        });
        io.sair.core.model.StageLimits l = io.sair.core.model.StageLimits.defaults();
        assertThat(l.cpuOneStep(250, false)).as("at the least already").isEqualTo(250);
        assertThat(l.cpuOneStep(7750, true)).as("up to the most").isEqualTo(8000);
        assertThat(l.cpuOneStep(1500, false)).isEqualTo(1000);
    }

    @Test
    void theLoadPeakFadesWithItsHalfLife() {
        long hour = 3_600_000L;
        LoadPeak p = LoadPeak.none().observe(200, 0, hour);
        assertThat(p.at(hour, hour)).isCloseTo(100, within(1e-9));
        assertThat(p.observe(150, hour, hour).rate()).as("150 beats the faded 100").isEqualTo(150);
        assertThat(p.observe(50, hour / 2, hour)).isEqualTo(p);
        assertThat(LoadPeak.none().at(0, hour)).isZero();
    }
}
