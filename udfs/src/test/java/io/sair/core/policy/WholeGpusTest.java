package io.sair.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.Fixtures;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageTarget;
import io.sair.core.model.StageWindow;
import io.sair.core.validate.ActionValidator;
import io.sair.core.validate.Cooldowns;
import io.sair.core.validate.Validated;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A GPU billed whole (the default) is never throttled and bought only when the running ones cannot serve. */
class WholeGpusTest {

    private final PipelineSpec whole = Fixtures.spec();
    private final ActionValidator validator = ActionValidator.sair();

    private static PipelineContext window(PipelineSpec spec, Allocation gpu, double gpuUtil, double p99) {
        return Fixtures.context(spec, 300_000, p99, List.of(Fixtures.alloc(2), gpu, Fixtures.alloc(1)),
                new double[] {0.5, gpuUtil, 0.3});
    }

    private StageTarget inference(ScalingAction a, PipelineContext ctx, PipelineSpec spec) {
        Validated v = validator.validate(a, ctx, spec, Cooldowns.none(), 300_000);
        return v.targets().stream().filter(t -> t.stage().equals("inference")).findFirst().orElseThrow();
    }

    @Test
    void aLowerRateSavesNothingOnAWholeGpuAndIsRefused() {
        PipelineContext ctx = window(whole, Fixtures.alloc(1), 0.3, 50);
        assertThat(inference(ScalingAction.of(StageAction.rate("inference", 0.8)), ctx, whole).rate()).isEqualTo(1.0);
        // Billed by share, the same throttle is a saving and goes through.
        PipelineSpec shared = Fixtures.sharedGpus(whole);
        assertThat(inference(ScalingAction.of(StageAction.rate("inference", 0.8)), ctx, shared).rate()).isEqualTo(0.8);
    }

    @Test
    void aThrottledGpuRaisesItsRateBeforeAnotherGpuIsBought() {
        PipelineContext ctx = window(whole, Fixtures.alloc(1).withRate(0.5), 0.95, 50);
        StageTarget t = inference(ScalingAction.of(StageAction.replicas("inference", 2)), ctx, whole);
        assertThat(t.replicas()).isEqualTo(1);
        assertThat(t.rate()).isEqualTo(1.0);
    }

    @Test
    void aGpuBusyWithWhatAnUpstreamBacklogDrainsIntoItBuysNoGpu() {
        // The GPU ran 95 % busy with 200 requests queued (steady), but 1,500 of its 7,500 arrivals were the
        // preprocessing's backlog draining after a burst (its queue fell by 1,500): the load it will carry keeps it at
        // 76 %.
        StageWindow gpu = new StageWindow("p", "inference", io.sair.core.model.StageKind.GPU, 270_000, 300_000, 6,
                Fixtures.alloc(1), 7500, 7500, 200, 0, 0.1, 0.3, 0.95, 8, 80, Double.NaN, 0);
        StageWindow drained = new StageWindow("p", "preprocess", io.sair.core.model.StageKind.CPU, 270_000, 300_000, 6,
                Fixtures.alloc(4), 6000, 7500, 0, -1500, 0.9, 0.3, 0, 20, 40, Double.NaN, 0);
        StageWindow calm = new StageWindow("p", "preprocess", io.sair.core.model.StageKind.CPU, 270_000, 300_000, 6,
                Fixtures.alloc(4), 7500, 7500, 0, 0, 0.9, 0.3, 0, 20, 40, Double.NaN, 0);
        WholeGpus w = WholeGpus.defaults();
        var s = whole.stage("inference").orElseThrow();
        PipelineContext afterBurst = new PipelineContext("p", 300_000, List.of(drained, gpu), List.of(), 80, 150, 200, 1, 1, 10);
        PipelineContext sustained = new PipelineContext("p", 300_000, List.of(calm, gpu), List.of(), 80, 150, 250, 1, 1, 10);
        assertThat(w.replicasNeeded(s, gpu, false, WholeGpus.upstreamDrain(afterBurst, whole, "inference"), whole.stageShareMs())).isEqualTo(1);
        assertThat(w.replicasNeeded(s, gpu, false, WholeGpus.upstreamDrain(sustained, whole, "inference"), whole.stageShareMs())).isEqualTo(2);
    }

    @Test
    void aGpuIsBoughtOnlyWhenTheRunningOnesAtTheirHighestRateCannotServe() {
        // 50 % busy at full rate: another GPU would idle.
        PipelineContext calm = window(whole, Fixtures.alloc(1), 0.5, 50);
        assertThat(inference(ScalingAction.of(StageAction.replicas("inference", 2)), calm, whole).replicas()).isEqualTo(1);
        // 95 % busy with its queue growing by 100 of 3,000 (past one standard deviation of the count, 55): one more
        // (below the 90 % mark).
        PipelineContext busy = withQueueGrowth(window(whole, Fixtures.alloc(1), 0.95, 50), "inference", 100);
        assertThat(inference(ScalingAction.of(StageAction.replicas("inference", 3)), busy, whole).replicas()).isEqualTo(2);
        // 95 % busy, its queue steady and its own p99 (50 ms) within its share of the SLA (200 / 3 ms): a batching GPU
        // serves more as its batches grow; busy time alone buys nothing.
        PipelineContext serving = withQueueGrowth(busy, "inference", 40);
        assertThat(inference(ScalingAction.of(StageAction.replicas("inference", 3)), serving, whole).replicas())
                .isEqualTo(1);
        // The same with its own p99 past what the other stages (50 ms each) leave of the pressure mark (180 ms) and 40
        // requests waiting at the window's end (within the count's noise, 55): the tail was a backlog it has served;
        // nothing more.
        PipelineContext slowTail = withStageP99(serving, "inference", 100);
        assertThat(inference(ScalingAction.of(StageAction.replicas("inference", 3)), slowTail, whole).replicas())
                .isEqualTo(1);
        // With 200 waiting at the window's end, a queue past the noise: it queues past its budget; one more.
        assertThat(inference(ScalingAction.of(StageAction.replicas("inference", 3)),
                withQueue(slowTail, "inference", 200, 40), whole).replicas()).isEqualTo(2);
        // Billed by share, the bounds and steps alone apply.
        assertThat(inference(ScalingAction.of(StageAction.replicas("inference", 3)), calm, Fixtures.sharedGpus(whole))
                .replicas()).isEqualTo(3);
    }

    @Test
    void aStageIsJudgedByTheLatencyTheOtherStagesLeaveItNotByAnEqualSplit() {
        // Text generation: a 4 s SLA, three GPUs 95 % busy serving 300 requests in the window with the queue steady,
        // the decoder's p99 2.7 s next to tokenizers of 20 and 80 ms. An equal split (1.33 s) would buy a fourth GPU;
        // the pipeline is at 70 % of the SLA and the decoder has 3.5 s of its 90 % pressure mark to itself: it serves
        // its load.
        PipelineSpec textgen = new PipelineSpec(whole.v(), whole.name(), whole.stages(), 4000.0, whole.prices(),
                whole.policy(), whole.mode());
        var s = textgen.stage("inference").orElseThrow();
        WholeGpus g = WholeGpus.defaults();
        StageWindow gpu = new StageWindow("p", "inference", io.sair.core.model.StageKind.GPU, 270_000, 300_000, 6,
                Fixtures.alloc(3), 300, 300, 2, 0, 0.1, 0.3, 0.95, 900, 2700, Double.NaN, 0);
        PipelineContext fast = new PipelineContext("p", 300_000, List.of(cpu("preprocess", 20), gpu,
                cpu("postprocess", 80)), List.of(), 2800, 4000, 10, 1, 1, 10);
        assertThat(WholeGpus.budgetMs(fast, textgen, gpu)).isEqualTo(3500.0);
        assertThat(g.replicasNeeded(s, gpu, false, 0, WholeGpus.budgetMs(fast, textgen, gpu))).isEqualTo(3);
        // The other stages take 1.2 s between them: 2.4 s is left, the decoder is past it with 40 requests waiting
        // (past the count's noise, 17); one GPU more.
        StageWindow queued = new StageWindow("p", "inference", io.sair.core.model.StageKind.GPU, 270_000, 300_000, 6,
                Fixtures.alloc(3), 300, 300, 40, 0, 0.1, 0.3, 0.95, 900, 2700, Double.NaN, 0);
        PipelineContext slow = new PipelineContext("p", 300_000, List.of(cpu("preprocess", 600), queued,
                cpu("postprocess", 600)), List.of(), 3500, 4000, 10, 1, 1, 10);
        assertThat(g.replicasNeeded(s, queued, false, 0, WholeGpus.budgetMs(slow, textgen, queued))).isEqualTo(4);
        // Never less than the equal split, and the equal split where a stage reports no latency.
        assertThat(WholeGpus.budgetMs(new PipelineContext("p", 300_000, List.of(cpu("preprocess", 3000), gpu,
                cpu("postprocess", 600)), List.of(), 4200, 4000, 10, 1, 1, 10), textgen, gpu)).isEqualTo(4000.0 / 3);
        assertThat(WholeGpus.budgetMs(new PipelineContext("p", 300_000, List.of(cpu("preprocess", Double.NaN), gpu,
                cpu("postprocess", 80)), List.of(), 2800, 4000, 10, 1, 1, 10), textgen, gpu)).isEqualTo(4000.0 / 3);
    }

    private static StageWindow cpu(String stage, double p99) {
        return new StageWindow("p", stage, io.sair.core.model.StageKind.CPU, 270_000, 300_000, 6, Fixtures.alloc(1),
                300, 300, 0, 0, 0.3, 0.3, 0, p99 / 2, p99, Double.NaN, 0);
    }

    @Test
    void underSlaPressureAGpuStageThatKeepsUpButQueuesPastItsShareAddsOneGpu() {
        // 70 % busy and the p99 over the SLA (200 ms), the GPU's own p99 50 ms, under its share (200 / 3):
        // another stage is late, another GPU would not help.
        PipelineContext pressed = window(whole, Fixtures.alloc(1), 0.7, 250);
        assertThat(inference(ScalingAction.of(StageAction.replicas("inference", 3)), pressed, whole).replicas())
                .isEqualTo(1);
        // The GPU's own p99 at 100 ms with 100 requests waiting at the window's end: it queues past its share; one
        // GPU more.
        assertThat(gpusAskingThree(pressed, 100, 100)).isEqualTo(2);
        // The same p99 with nothing waiting at the window's end and a p99 within what an exponential service time
        // makes of the stage's p50 (20 ms): the tail is the stage's service time (text generation's longest
        // outputs), which another GPU does not shorten; none.
        assertThat(gpusAskingThree(pressed, 100, 0)).isEqualTo(1);
        // Nothing waiting at the end, but a p99 ten times the p50: requests queued within the window; one GPU more.
        assertThat(gpusAskingThree(pressed, 200, 0)).isEqualTo(2);
        // A few waiting, within the count's noise (sqrt of 3,000 completions), but for longer than the stage's share
        // at its 100 requests/s (30 wait 300 ms of 67): a fast stage's noise is a long wait; one GPU more.
        assertThat(gpusAskingThree(pressed, 100, 30)).isEqualTo(2);
        // Three GPUs 85 % busy that keep up: one more (four), not the five a 60 % target would buy; a window of text
        // generation's p99 over the SLA is often the noise of a few long requests, and the next round adds another
        // if it is not.
        PipelineContext three = withQueue(withStageP99(window(whole, Fixtures.alloc(3), 0.85, 250), "inference", 100),
                "inference", 100, 0);
        assertThat(inference(ScalingAction.of(StageAction.replicas("inference", 6)), three, whole).replicas())
                .isEqualTo(4);
    }

    @Test
    void aGpuBoughtForTheSlaAloneNeedsThePressureInTheWindowBeforeToo() {
        // Two GPUs 85 % busy that keep up; the p99 over the SLA (200 ms) and the GPU's own past its share.
        PipelineContext queued = withQueue(withStageP99(window(whole, Fixtures.alloc(2), 0.85, 250), "inference", 100),
                "inference", 100, 0);
        ScalingAction more = ScalingAction.of(StageAction.replicas("inference", 3));
        // The window before was calm (p99 120 ms): one window's tail is the noise of a few requests; no GPU yet.
        assertThat(validator.validate(more, queued, whole, Cooldowns.none(), 300_000, 120).targets().get(1).replicas())
                .isEqualTo(2);
        // The window before was under pressure too (190 ms, past 90 % of the SLA): one GPU more.
        assertThat(validator.validate(more, queued, whole, Cooldowns.none(), 300_000, 190).targets().get(1).replicas())
                .isEqualTo(3);
        // No window before it known (a first round): judged on this window, as without the history.
        assertThat(validator.validate(more, queued, whole, Cooldowns.none(), 300_000, Double.NaN).targets().get(1)
                .replicas()).isEqualTo(3);
        // The rule asks for it on the same terms.
        BottleneckRule rule = BottleneckRule.defaults();
        PolicyInput calmBefore = new PolicyInput(queued, whole, List.of(), new double[0], null, List.of(), 300_000,
                new Headroom.Peaks(0, 0), StageCapacity.none(), 120);
        PolicyInput pressedBefore = new PolicyInput(queued, whole, List.of(), new double[0], null, List.of(), 300_000,
                new Headroom.Peaks(0, 0), StageCapacity.none(), 190);
        assertThat(rule.propose(calmBefore).action().forStage("inference")).isEmpty();
        assertThat(rule.propose(pressedBefore).action().forStage("inference").orElseThrow().replicas()).isEqualTo(3);
    }

    /** The GPUs the validator lets a proposal of three through with, the GPU's own p99 and queue at the window's end set. */
    private int gpusAskingThree(PipelineContext ctx, double gpuP99, long waiting) {
        PipelineContext c = withQueue(withStageP99(ctx, "inference", gpuP99), "inference", waiting, 0);
        return inference(ScalingAction.of(StageAction.replicas("inference", 3)), c, whole).replicas();
    }

    private static PipelineContext withQueue(PipelineContext c, String stage, long depth, long growth) {
        List<StageWindow> stages = c.stages().stream().map(w -> !w.stage().equals(stage) ? w
                : new StageWindow(w.pipeline(), w.stage(), w.kind(), w.windowStart(), w.windowEnd(), w.reports(),
                        w.allocation(), w.arrivals(), w.completions(), depth, growth, w.cpuUtil(), w.memUtil(),
                        w.gpuUtil(), w.p50Ms(), w.p99Ms(), w.e2eP99Ms(), w.e2eCount())).toList();
        return new PipelineContext(c.pipeline(), c.windowEnd(), stages, c.missing(), c.p99Ms(), c.slaMs(),
                c.arrivalRate(), c.billableCostPerHour(), c.effectiveCostPerHour(), c.maxCostPerHour());
    }

    private static PipelineContext withQueueGrowth(PipelineContext c, String stage, long growth) {
        List<StageWindow> stages = c.stages().stream().map(w -> !w.stage().equals(stage) ? w
                : new StageWindow(w.pipeline(), w.stage(), w.kind(), w.windowStart(), w.windowEnd(), w.reports(),
                        w.allocation(), w.arrivals(), w.completions(), Math.max(0, growth), growth, w.cpuUtil(),
                        w.memUtil(), w.gpuUtil(), w.p50Ms(), w.p99Ms(), w.e2eP99Ms(), w.e2eCount())).toList();
        return new PipelineContext(c.pipeline(), c.windowEnd(), stages, c.missing(), c.p99Ms(), c.slaMs(),
                c.arrivalRate(), c.billableCostPerHour(), c.effectiveCostPerHour(), c.maxCostPerHour());
    }

    private static PipelineContext withStageP99(PipelineContext c, String stage, double p99) {
        List<StageWindow> stages = c.stages().stream().map(w -> !w.stage().equals(stage) ? w
                : new StageWindow(w.pipeline(), w.stage(), w.kind(), w.windowStart(), w.windowEnd(), w.reports(),
                        w.allocation(), w.arrivals(), w.completions(), w.queueDepth(), w.queueGrowth(), w.cpuUtil(),
                        w.memUtil(), w.gpuUtil(), w.p50Ms(), p99, w.e2eP99Ms(), w.e2eCount())).toList();
        return new PipelineContext(c.pipeline(), c.windowEnd(), stages, c.missing(), c.p99Ms(), c.slaMs(),
                c.arrivalRate(), c.billableCostPerHour(), c.effectiveCostPerHour(), c.maxCostPerHour());
    }

    @Test
    void memoryAndProbesAreAskedFirst() {
        WholeGpus g = WholeGpus.defaults();
        PipelineContext ctx = window(whole, Fixtures.alloc(1), 0.5, 50);
        var w = ctx.stage("inference").orElseThrow();
        var s = whole.stage("inference").orElseThrow();
        assertThat(g.permits(ctx, whole, s, w, w.allocation().withRate(0.8))).isFalse();
        assertThat(g.permits(ctx, whole, s, w, w.allocation().withReplicas(2))).isFalse();
        assertThat(g.permits(ctx, whole, s, w, w.allocation().withReplicas(1))).isTrue();
        assertThat(g.permits(ctx, Fixtures.sharedGpus(whole), s, w, w.allocation().withRate(0.8))).isTrue();
    }
}
