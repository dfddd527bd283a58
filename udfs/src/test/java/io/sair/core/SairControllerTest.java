package io.sair.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageTarget;
import io.sair.core.validate.ActionValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SairControllerTest {

    private final PipelineSpec spec = Fixtures.spec();
    private final SairController controller = SairController.defaults();

    /** A toy plant: p99 falls with preprocessing replicas, cost follows the allocation. */
    private PipelineContext observe(long windowEnd, List<Allocation> allocs) {
        int pre = allocs.get(0).replicas();
        double p99 = 600.0 / pre + 40;
        double util = Math.min(1.0, 1.8 / pre);
        return Fixtures.context(spec, windowEnd, p99, allocs, new double[] {util, 0.5 * allocs.get(1).rate(), 0.2});
    }

    private List<Allocation> apply(ScalingDecision d) {
        return d.stages().stream().map(StageTarget::target).toList();
    }

    @Test
    void closedLoopRewardsRemembersAndOnlyEmitsFeasibleDecisions() {
        ControllerState state = ControllerState.initial(0.15);
        List<Allocation> allocs = List.of(Fixtures.alloc(1), Fixtures.alloc(1), Fixtures.alloc(1));
        List<ScalingDecision> decisions = new ArrayList<>();
        for (int round = 1; round <= 40; round++) {
            PipelineContext ctx = observe(round * 30_000L, allocs);
            SairController.Outcome out = controller.step(state, ctx, spec).orElseThrow();
            assertThat(ActionValidator.sair().feasible(out.decision().stages(), ctx, spec)).isTrue();
            decisions.add(out.decision());
            state = out.state();
            allocs = apply(out.decision());
        }
        assertThat(decisions.get(0).previousReward()).isNull();
        assertThat(decisions.subList(1, 40)).allSatisfy(d -> assertThat(d.previousReward()).isNotNull());
        assertThat(state.experiences()).isNotEmpty();
        assertThat(state.experiences()).allSatisfy(e -> assertThat(e.reward()).isPositive());
        assertThat(state.frontier()).isNotEmpty();
        assertThat(state.exploration().round()).isEqualTo(40);
        assertThat(decisions).extracting(ScalingDecision::selector).contains(Selector.BUILTIN);
        // The SLA (200 ms) is violated at one replica (640 ms): the controller must have scaled preprocessing up.
        assertThat(allocs.get(0).replicas()).isGreaterThanOrEqualTo(3);
        assertThat(decisions.get(39).p99Ms()).isLessThan(spec.slaP99Ms());
    }

    @Test
    void ignoresRepeatedAndOlderWindows() {
        ControllerState s = controller.step(ControllerState.initial(0.15), Fixtures.context(60_000, 150), spec)
                .orElseThrow().state();
        assertThat(controller.step(s, Fixtures.context(60_000, 150), spec)).isEmpty();
        assertThat(controller.step(s, Fixtures.context(30_000, 150), spec)).isEmpty();
        assertThat(controller.step(s, Fixtures.context(90_000, 150), spec)).isPresent();
    }

    @Test
    void aRoundKnowsThePipelinesP99InTheWindowOfTheLastDecision() {
        ControllerState first = ControllerState.initial(0.15);
        assertThat(controller.begin(first, Fixtures.context(60_000, 150), spec).previousP99Ms()).isNaN();
        ControllerState s = controller.step(first, Fixtures.context(60_000, 150), spec).orElseThrow().state();
        assertThat(controller.begin(s, Fixtures.context(90_000, 170), spec).previousP99Ms()).isEqualTo(150);
    }

    @Test
    void incompleteContextsAreSkippedUnlessTheSpecAllowsThem() {
        PipelineContext full = Fixtures.context(60_000, 150);
        PipelineContext partial = new PipelineContext(full.pipeline(), full.windowEnd(), full.stages().subList(0, 2),
                List.of("postprocess"), full.p99Ms(), full.slaMs(), full.arrivalRate(), full.billableCostPerHour(),
                full.effectiveCostPerHour(), full.maxCostPerHour());
        assertThat(controller.step(ControllerState.initial(0.15), partial, spec)).isEmpty();
        PipelineSpec lenient = new PipelineSpec(null, spec.name(), spec.stages(), spec.slaP99Ms(), null,
                new io.sair.core.model.PolicySettings(null, null, null, null, null, null, null, null, null, true, null),
                null);
        Optional<SairController.Outcome> out = controller.step(ControllerState.initial(0.15), partial, lenient);
        assertThat(out).isPresent();
        assertThat(out.get().decision().stages()).extracting(StageTarget::stage).containsExactly("preprocess", "inference");
    }

    @Test
    void learnsTheActionThatRanNotTheOneProposed() {
        // Round 1 decides; the plant ignores it (shadow mode or a failed actuator): the remembered action is "no change".
        ControllerState s = ControllerState.initial(0.0);
        List<Allocation> allocs = List.of(Fixtures.alloc(1), Fixtures.alloc(1), Fixtures.alloc(1));
        SairController.Outcome first = controller.step(s, observe(30_000, allocs), spec).orElseThrow();
        assertThat(first.decision().changesAnything()).isTrue();
        PipelineContext sameAsBefore = Fixtures.context(spec, 60_000, 100, allocs, new double[] {0.9, 0.5, 0.2});
        SairController.Outcome second = controller.step(first.state(), sameAsBefore, spec).orElseThrow();
        assertThat(second.state().experiences()).hasSize(1);
        assertThat(second.state().experiences().get(0).action()).noneMatch(StageTarget::changes);
    }

    @Test
    void isDeterministic() {
        ControllerState a = ControllerState.initial(0.5);
        ControllerState b = ControllerState.initial(0.5);
        List<Allocation> allocs = List.of(Fixtures.alloc(1), Fixtures.alloc(1), Fixtures.alloc(1));
        for (int round = 1; round <= 15; round++) {
            PipelineContext ctx = observe(round * 30_000L, allocs);
            SairController.Outcome oa = controller.step(a, ctx, spec).orElseThrow();
            SairController.Outcome ob = controller.step(b, ctx, spec).orElseThrow();
            assertThat(oa.decision()).usingRecursiveComparison().isEqualTo(ob.decision());
            a = oa.state();
            b = ob.state();
            allocs = apply(oa.decision());
        }
    }
}
