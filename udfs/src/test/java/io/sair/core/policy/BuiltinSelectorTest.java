package io.sair.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.Fixtures;
import io.sair.core.memory.ContextFeatures;
import io.sair.core.model.Allocation;
import io.sair.core.model.Bottleneck;
import io.sair.core.model.Experience;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the built-in selector repeats what memory rewarded, and when the rule's headroom overrules it. */
class BuiltinSelectorTest {

    private final PipelineSpec spec = Fixtures.spec();
    private final BuiltinSelector selector = BuiltinSelector.defaults();

    /** p99 at 60% of the SLA: no pressure, and not far enough under it for the rule to shrink. */
    private PipelineContext calm(int preReplicas, double preUtil) {
        return Fixtures.context(spec, 600_000, 0.6 * spec.slaP99Ms(),
                List.of(Fixtures.alloc(preReplicas), Fixtures.alloc(1), Fixtures.alloc(1)), new double[] {preUtil, 0.5, 0.5});
    }

    /** The context with episodes just like it in which one more preprocessing replica paid off. */
    private PolicyInput rememberedGrowth(PipelineContext ctx, int preReplicas) {
        double[] features = ContextFeatures.of(ctx, spec);
        StageTarget grow = StageTarget.of("preprocess", StageKind.CPU, Fixtures.alloc(preReplicas), Fixtures.alloc(preReplicas + 1));
        List<Experience> episodes = List.of(
                new Experience(1, 300_000, features, List.of(), 100, List.of(grow), 0.5, 0.3, 0.4),
                new Experience(2, 330_000, features, List.of(), 100, List.of(grow), 0.4, 0.3, 0.4));
        return new PolicyInput(ctx, spec, episodes, features, Bottleneck.NONE, List.of(), 600_000);
    }

    /** The context with episodes just like it in which moving preprocessing from {@code from} to {@code to} paid off. */
    private PolicyInput remembered(PipelineContext ctx, Allocation from, Allocation to) {
        double[] features = ContextFeatures.of(ctx, spec);
        StageTarget move = StageTarget.of("preprocess", StageKind.CPU, from, to);
        List<Experience> episodes = List.of(
                new Experience(1, 300_000, features, List.of(), 100, List.of(move), 0.5, 0.3, 0.4),
                new Experience(2, 330_000, features, List.of(), 100, List.of(move), 0.4, 0.3, 0.4));
        return new PolicyInput(ctx, spec, episodes, features, Bottleneck.NONE, List.of(), 600_000);
    }

    private static int preprocessReplicas(Proposal p, int now) {
        return p.action().stages().stream().filter(a -> a.stage().equals("preprocess")).map(StageAction::replicas)
                .findFirst().orElse(now);
    }

    @Test
    void aRememberedScaleUpIsRepeatedWhereTheStageRunsAboveItsTarget() {
        Proposal p = selector.propose(rememberedGrowth(calm(4, 0.7), 4));
        assertThat(p.rationale()).startsWith("repeat the best remembered action");
        assertThat(preprocessReplicas(p, 4)).isEqualTo(5);
    }

    @Test
    void aRememberedScaleUpIsNotRepeatedWhereTheStageHasItsHeadroom() {
        // 50% busy: above the idle threshold (40%), so the rule would not shrink it either. Growing it on
        // memory, then shrinking it below idle, was the flapping this guards against.
        Proposal p = selector.propose(rememberedGrowth(calm(4, 0.5), 4));
        assertThat(p.rationale()).doesNotStartWith("repeat the best remembered action");
        assertThat(preprocessReplicas(p, 4)).isEqualTo(4);
    }

    @Test
    void aRememberedReplicaGivenBackIsRepeatedButNotACpuStepDown() {
        // 30% busy on four replicas: one replica fewer or a quarter less CPU both leave it 40% busy, within the
        // headroom. A replica comes back within a pod's start-up; CPU comes back one step per decision, and a
        // shrink's reward saw only the window after it, so memory repeats only the replica.
        PipelineContext ctx = calm(4, 0.3);
        Proposal replica = selector.propose(remembered(ctx, Fixtures.alloc(4), Fixtures.alloc(3)));
        assertThat(replica.rationale()).startsWith("repeat the best remembered action");
        assertThat(preprocessReplicas(replica, 4)).isEqualTo(3);
        Proposal cpu = selector.propose(remembered(ctx, Fixtures.alloc(4), Fixtures.alloc(4).withCpuMillis(750)));
        assertThat(cpu.rationale()).doesNotStartWith("repeat the best remembered action");
        assertThat(cpu.action().forStage("preprocess")).isEmpty();
    }

    @Test
    void aRememberedGpuRaiseIsNotRepeatedWhereTheGpuServesWithinItsShare() {
        // Shared GPUs (billed by their rate): the inference stage 70 % busy at rate 0.8, above the 60 % target, and
        // memory rewarded raising it to 1.0. Its queue steady and its own p99 (50 ms) within its share of the SLA
        // (200 / 3 ms), it serves its load: no raise on memory's evidence.
        PipelineSpec shared = Fixtures.sharedGpus(spec);
        Allocation gpu = Fixtures.alloc(2).withRate(0.8);
        PipelineContext ctx = Fixtures.context(shared, 600_000, 0.6 * shared.slaP99Ms(),
                List.of(Fixtures.alloc(2), gpu, Fixtures.alloc(1)), new double[] {0.5, 0.7, 0.5});
        double[] features = ContextFeatures.of(ctx, shared);
        StageTarget raise = StageTarget.of("inference", StageKind.GPU, gpu, gpu.withRate(1.0));
        List<Experience> episodes = List.of(
                new Experience(1, 300_000, features, List.of(), 100, List.of(raise), 0.5, 0.3, 0.4),
                new Experience(2, 330_000, features, List.of(), 100, List.of(raise), 0.4, 0.3, 0.4));
        PolicyInput in = new PolicyInput(ctx, shared, episodes, features, Bottleneck.NONE, List.of(), 600_000);
        assertThat(selector.propose(in).rationale()).doesNotStartWith("repeat the best remembered action");
        // The same GPU queueing past its budget (its own p99 at 100 ms, past the 80 ms the other stages' 50 ms each
        // leave of the 180 ms pressure mark, and 200 requests waiting): memory's raise is repeated.
        PipelineContext queued = new PipelineContext(ctx.pipeline(), ctx.windowEnd(), ctx.stages().stream()
                .map(w -> !w.stage().equals("inference") ? w : new io.sair.core.model.StageWindow(w.pipeline(), w.stage(),
                        w.kind(), w.windowStart(), w.windowEnd(), w.reports(), w.allocation(), w.arrivals(), w.completions(),
                        200, w.queueGrowth(), w.cpuUtil(), w.memUtil(), w.gpuUtil(), w.p50Ms(), 100, w.e2eP99Ms(),
                        w.e2eCount())).toList(), ctx.missing(), ctx.p99Ms(), ctx.slaMs(), ctx.arrivalRate(),
                ctx.billableCostPerHour(), ctx.effectiveCostPerHour(), ctx.maxCostPerHour());
        Proposal p = selector.propose(new PolicyInput(queued, shared, episodes, features, Bottleneck.NONE, List.of(), 600_000));
        assertThat(p.rationale()).startsWith("repeat the best remembered action");
        assertThat(p.action().forStage("inference").orElseThrow().rateRatio()).isEqualTo(1.0);
    }
}
