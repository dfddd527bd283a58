package io.sair.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.Fixtures;
import io.sair.core.model.ActionType;
import io.sair.core.model.Adjustment;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionValidatorTest {

    // GPUs billed by share, so that the rate's own rules are what these tests see (WholeGpusTest has the other case).
    private final PipelineSpec spec = Fixtures.sharedGpus(Fixtures.spec());
    private final ActionValidator v = ActionValidator.sair();
    private final PipelineContext ctx = Fixtures.context(300_000, 150);

    private StageTarget target(Validated r, String stage) {
        return r.targets().stream().filter(t -> t.stage().equals(stage)).findFirst().orElseThrow();
    }

    @Test
    void absoluteTargetsBecomeDeltasClampedToTheStep() {
        Validated up = v.validate(ScalingAction.of(StageAction.replicas("preprocess", 7)), ctx, spec, Cooldowns.none(),
                300_000);
        assertThat(target(up, "preprocess").replicas()).as("scaling up may reach four times what runs").isEqualTo(7);
        assertThat(target(up, "preprocess").dReplicas()).isEqualTo(5);
        PipelineContext six = Fixtures.context(spec, 300_000, 150, List.of(Fixtures.alloc(6), Fixtures.alloc(1),
                Fixtures.alloc(1)), new double[] {0.5, 0.5, 0.5});
        Validated down = v.validate(ScalingAction.of(StageAction.replicas("preprocess", 1)), six, spec, Cooldowns.none(),
                300_000);
        assertThat(target(down, "preprocess").replicas()).as("scaling down moves one step").isEqualTo(4);
        assertThat(target(down, "preprocess").dReplicas()).isEqualTo(-2);
        assertThat(down.adjustments()).extracting(Adjustment::reason).anyMatch(s -> s.startsWith("step limited"));
    }

    @Test
    void boundsHoldAfterTheStep() {
        Validated r = v.validate(ScalingAction.of(StageAction.replicas("inference", 0), StageAction.rate("inference", 0.0)),
                ctx, spec, Cooldowns.none(), 300_000);
        assertThat(target(r, "inference").replicas()).isEqualTo(1);
        Validated rate = v.validate(ScalingAction.of(StageAction.rate("inference", 0.01)), ctx, spec, Cooldowns.none(),
                300_000);
        assertThat(target(rate, "inference").rate()).isEqualTo(0.8);
        assertThat(v.feasible(rate.targets(), ctx, spec)).isTrue();
    }

    @Test
    void ratesOffTheGridStayWithinTheStep() {
        PipelineContext offGrid = Fixtures.context(spec, 300_000, 150, List.of(Fixtures.alloc(1),
                Fixtures.alloc(1).withRate(0.334), Fixtures.alloc(1)), new double[] {0.5, 0.5, 0.5});
        Validated r = v.validate(ScalingAction.of(StageAction.rate("inference", 0.0)), offGrid, spec, Cooldowns.none(),
                300_000);
        // 0.334 - 0.2 = 0.134; the grid's 0.13 would be a step of 0.204.
        assertThat(target(r, "inference").rate()).isCloseTo(0.134, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(v.feasible(r.targets(), offGrid, spec)).isTrue();
        Validated up = v.validate(ScalingAction.of(StageAction.rate("inference", 1.0)), offGrid, spec, Cooldowns.none(),
                300_000);
        assertThat(target(up, "inference").rate()).as("the rate may double in a round").isCloseTo(0.668,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(v.feasible(up.targets(), offGrid, spec)).isTrue();
    }

    @Test
    void rateOnACpuStageIsRefusedWithAReason() {
        Validated r = v.validate(ScalingAction.of(StageAction.rate("preprocess", 0.5)), ctx, spec, Cooldowns.none(),
                300_000);
        assertThat(target(r, "preprocess").changes()).isFalse();
        assertThat(r.adjustments()).extracting(Adjustment::reason).anyMatch(s -> s.contains("gpu stages only"));
    }

    @Test
    void unknownStagesAndFieldsTheActionDoesNotUseAreReported() {
        Validated r = v.validate(ScalingAction.of(new StageAction("nope", ActionType.SCALE_REPLICAS, 3, null, null, null),
                new StageAction("preprocess", ActionType.SCALE_REPLICAS, 3, 4000, null, null)), ctx, spec, Cooldowns.none(),
                300_000);
        assertThat(target(r, "preprocess").cpuMillis()).isEqualTo(1000);
        assertThat(target(r, "preprocess").replicas()).isEqualTo(3);
        assertThat(r.adjustments()).extracting(Adjustment::reason)
                .anyMatch(s -> s.contains("unknown stage"))
                .anyMatch(s -> s.contains("cpu/memory ignored"));
    }

    @Test
    void nonFiniteRatesChangeNothing() {
        Validated r = v.validate(ScalingAction.of(StageAction.rate("inference", Double.NaN)), ctx, spec, Cooldowns.none(),
                300_000);
        assertThat(target(r, "inference").changes()).isFalse();
    }

    @Test
    void scaleUpCooldownHoldsForSixtySecondsPerStageAndDimension() {
        Validated first = v.validate(ScalingAction.of(StageAction.replicas("preprocess", 3)), ctx, spec, Cooldowns.none(),
                300_000);
        PipelineContext later = Fixtures.context(330_000, 150);
        Validated blocked = v.validate(ScalingAction.of(StageAction.replicas("preprocess", 3),
                StageAction.resources("postprocess", 1500, null)), later, spec, first.cooldowns(), 330_000);
        assertThat(target(blocked, "preprocess").changes()).isFalse();
        assertThat(target(blocked, "postprocess").cpuMillis()).isEqualTo(1500);
        assertThat(blocked.adjustments()).extracting(Adjustment::reason).anyMatch(s -> s.startsWith("cooldown: scale-up"));
        Validated allowed = v.validate(ScalingAction.of(StageAction.replicas("preprocess", 3)), Fixtures.context(360_000,
                150), spec, first.cooldowns(), 360_000);
        assertThat(target(allowed, "preprocess").dReplicas()).isEqualTo(1);
    }

    @Test
    void scaleDownCooldownHoldsForTwoMinutes() {
        Validated first = v.validate(ScalingAction.of(StageAction.replicas("preprocess", 1)), ctx, spec, Cooldowns.none(),
                300_000);
        assertThat(target(first, "preprocess").dReplicas()).isEqualTo(-1);
        Validated blocked = v.validate(ScalingAction.of(StageAction.replicas("preprocess", 1)), ctx, spec,
                first.cooldowns(), 419_999);
        assertThat(target(blocked, "preprocess").changes()).isFalse();
        Validated allowed = v.validate(ScalingAction.of(StageAction.replicas("preprocess", 1)), ctx, spec,
                first.cooldowns(), 420_000);
        assertThat(target(allowed, "preprocess").changes()).isTrue();
    }

    @Test
    void memoryIsNotCutBelowTheObservedWorkingSet() {
        // 90% of 1024 MB in use: the floor (x1.15 headroom) is above what runs, so memory cannot shrink.
        var pre = ctx.stages().get(0);
        var busy = new io.sair.core.model.StageWindow(pre.pipeline(), pre.stage(), pre.kind(), pre.windowStart(),
                pre.windowEnd(), pre.reports(), pre.allocation(), pre.arrivals(), pre.completions(), pre.queueDepth(),
                pre.queueGrowth(), pre.cpuUtil(), 0.9, pre.gpuUtil(), pre.p50Ms(), pre.p99Ms(), pre.e2eP99Ms(), 0);
        PipelineContext c = new PipelineContext(ctx.pipeline(), ctx.windowEnd(), List.of(busy, ctx.stages().get(1),
                ctx.stages().get(2)), List.of(), ctx.p99Ms(), ctx.slaMs(), ctx.arrivalRate(), ctx.billableCostPerHour(),
                ctx.effectiveCostPerHour(), ctx.maxCostPerHour());
        Validated r = v.validate(ScalingAction.of(StageAction.resources("preprocess", null, 800)), c, spec,
                Cooldowns.none(), 300_000);
        assertThat(target(r, "preprocess").memoryMb()).isEqualTo(1024);
        // At 30% use the same proposal goes through (within one 256 MB step).
        Validated ok = v.validate(ScalingAction.of(StageAction.resources("preprocess", null, 800)), ctx, spec,
                Cooldowns.none(), 300_000);
        assertThat(target(ok, "preprocess").memoryMb()).isEqualTo(800);
    }

    @Test
    void boundsOnlyRulesLetBaselinesJumpButNotLeaveTheBounds() {
        ActionValidator baseline = new ActionValidator(ValidationRules.boundsOnly());
        Validated r = baseline.validate(ScalingAction.of(StageAction.replicas("preprocess", 20)), ctx, spec,
                Cooldowns.none(), 300_000);
        assertThat(target(r, "preprocess").replicas()).isEqualTo(8);
    }

    @Test
    void scaleUpShareIsTheMeanNormalisedIncrease() {
        Validated r = v.validate(ScalingAction.of(StageAction.replicas("preprocess", 4), StageAction.rate("inference", 1.0)),
                ctx, spec, Cooldowns.none(), 300_000);
        // preprocess +2 replicas = 1 step of 3 dims; inference unchanged (already 1.0) of 2; postprocess 0 of 3.
        assertThat(r.scaleUpShare()).isEqualTo(1.0 / 8);
    }
}
