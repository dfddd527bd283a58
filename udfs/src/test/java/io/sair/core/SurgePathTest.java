package io.sair.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.SairController.Outcome;
import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.Json;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import io.sair.core.model.StageWindow;
import io.sair.core.validate.ActionValidator;
import io.sair.core.validate.Cooldowns;
import io.sair.core.validate.Validated;
import io.sair.core.validate.ValidationRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fast path as the controller runs it: validated, cooled, held against release, beside the rounds. */
class SurgePathTest {

    static final PipelineSpec SPEC = new PipelineSpec(null, "p", List.of(StageSpec.of("pre", StageKind.CPU),
            StageSpec.of("inf", StageKind.GPU), StageSpec.of("post", StageKind.CPU)), 150.0, null, null, null);

    /** A window of the given length: pre with the given counts, the other stages calm. */
    static PipelineContext window(long start, long end, Allocation pre, long arrivals, long completions, double busy,
                                  long queue, Allocation inf) {
        List<StageWindow> ws = new ArrayList<>();
        ws.add(new StageWindow("p", "pre", StageKind.CPU, start, end, 1, pre, arrivals, completions, queue, 0, busy, 0.3, 0,
                10, 40, Double.NaN, 0));
        long calm = completions;
        ws.add(new StageWindow("p", "inf", StageKind.GPU, start, end, 1, inf, calm, calm, 0, 0, 0.1, 0.3, 0.3, 5, 10,
                Double.NaN, 0));
        Allocation post = new Allocation(1, 500, 1024, 1.0);
        ws.add(new StageWindow("p", "post", StageKind.CPU, start, end, 1, post, calm, calm, 0, 0, 0.2, 0.3, 0, 2, 4, 60, calm));
        List<Allocation> allocs = List.of(pre, inf, post);
        return new PipelineContext("p", end, ws, List.of(), 60, SPEC.slaP99Ms(), arrivals * 1000.0 / (end - start),
                CostModel.billable(SPEC, allocs), CostModel.effective(SPEC, allocs), CostModel.maxEffective(SPEC));
    }

    static Allocation pre(int replicas) {
        return new Allocation(replicas, 2000, 2048, 1.0);
    }

    static final Allocation INF = new Allocation(1, 2000, 4096, 1.0);

    /** 200/s arriving at two replicas that complete 120/s, 400 waiting. */
    static PipelineContext step(long end, Allocation pre) {
        return window(end - 5_000, end, pre, 1000, 600, 1.0, 400, INF);
    }

    /** A round at 300 s on a calm window, so there is a pending decision and a last window end. */
    static Outcome round(SairController c) {
        ControllerState s0 = ControllerState.initial(0.0);
        return c.step(s0, window(270_000, 300_000, pre(2), 1650, 1650, 0.45, 0, INF), SPEC).orElseThrow();
    }

    @Test
    void aStepBetweenRoundsIsASurgeDecisionThatKeepsTheRoundsState() {
        SairController c = SairController.defaults();
        Outcome r = round(c);
        Optional<Outcome> o = c.surge(r.state(), step(305_000, pre(2)), SPEC);

        ScalingDecision d = o.orElseThrow().decision();
        assertThat(d.selector()).isEqualTo(Selector.SURGE);
        assertThat(d.decisionId()).isEqualTo("p@305000/surge").isNotEqualTo(r.decision().decisionId());
        assertThat(d.windowEnd()).isEqualTo(305_000);
        StageTarget preT = d.stages().stream().filter(t -> t.stage().equals("pre")).findFirst().orElseThrow();
        assertThat(preT.replicas()).isEqualTo(6);
        assertThat(d.stages().stream().filter(t -> !t.stage().equals("pre"))).noneMatch(StageTarget::changes);
        assertThat(d.rationale()).startsWith("surge:");
        // The round's pending decision and window stay: the next round rewards it on what really ran.
        ControllerState s = o.get().state();
        assertThat(s.pending()).isEqualTo(r.state().pending());
        assertThat(s.lastWindowEnd()).isEqualTo(300_000);
        assertThat(s.exploration()).isEqualTo(r.state().exploration());
        assertThat(s.loadPeak().rate()).isEqualTo(200.0);
        // On the wire as any decision, selector "surge".
        String json = Json.writeString(d);
        assertThat(json).contains("\"selector\":\"surge\"");
        assertThat(Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), ScalingDecision.class).selector())
                .isEqualTo(Selector.SURGE);
    }

    @Test
    void steadyLoadBringsNoSurge() {
        SairController c = SairController.defaults();
        Outcome r = round(c);
        for (long end = 305_000; end < 330_000; end += 5_000) {
            assertThat(c.surge(r.state(), window(end - 5_000, end, pre(2), 275, 275, 0.45, 0, INF), SPEC)).isEmpty();
        }
    }

    @Test
    void aSurgeIsCooledLikeAnyScaleUp() {
        SairController c = SairController.defaults();
        Outcome first = c.surge(round(c).state(), step(305_000, pre(2)), SPEC).orElseThrow();
        // Five seconds later the backlog is still there, but the new pods are starting: one surge per stage per
        // horizon (30 s), or each period would multiply the order.
        assertThat(c.surge(first.state(), step(310_000, pre(6)), SPEC)).isEmpty();
        // A horizon later (and past the 60 s scale-up cooldown) the fast path may add again.
        assertThat(c.surge(first.state(), step(370_000, pre(6)), SPEC)).isPresent();
    }

    /**
     * Once the rounds have taught pre its rate (30.6 per busy second per core, three calm rounds at one allocation),
     * the fast path sizes on it and need not wait a horizon: five seconds after a surge ordered six replicas, the
     * same overload on the two ready ones orders nothing (six serve it), and a demand that has doubled again orders
     * what serves that, at once (a flash crowd rises for a minute or two).
     */
    @Test
    void withALearnedRateTheFastPathFollowsARisingDemandWithinTheHorizon() {
        SairController c = SairController.defaults();
        ControllerState s = ControllerState.initial(0.0);
        for (long end = 240_000; end <= 300_000; end += 30_000) {
            s = c.step(s, window(end - 30_000, end, pre(2), 1650, 1650, 0.45, 0, INF), SPEC).orElseThrow().state();
        }
        assertThat(s.capacity().perUnit("pre")).isCloseTo(1650 / (30 * 0.45 * 4), org.assertj.core.api.Assertions.within(1e-9));
        Outcome first = c.surge(s, step(305_000, pre(2)), SPEC).orElseThrow();
        assertThat(first.decision().stages().get(0).replicas()).isEqualTo(6);
        assertThat(c.surge(first.state(), step(310_000, pre(6)), SPEC)).isEmpty();
        // 400/s arriving and 800 waiting: (400 + 800/30) / (0.6 x 30.6) = 23.3 cores -> 12 replicas of 2 cores, cut to
        // the stage's most (8).
        Outcome again = c.surge(first.state(), window(310_000, 315_000, pre(6), 2000, 600, 1.0, 800, INF), SPEC)
                .orElseThrow();
        assertThat(again.decision().stages().get(0).replicas()).isEqualTo(8);
    }

    @Test
    void aRoundsScaleUpDoesNotHoldASurge() {
        SairController c = SairController.defaults();
        ControllerState s = round(c).state();
        Validated v = c.config().validator().validate(ScalingAction.of(StageAction.replicas("pre", 3)),
                window(270_000, 300_000, pre(2), 1650, 1650, 0.45, 0, INF), SPEC, s.cooldowns(), 300_000);
        ControllerState cooled = new ControllerState(s.experiences(), s.frontier(), s.exploration(), s.pending(),
                v.cooldowns(), s.nextExperienceId(), s.lastWindowEnd(), s.loadPeak(), s.loadRise(), s.capacity());
        // The round added one replica on a window where the step had barely begun; five seconds later the overload
        // is measured: the surge acts within the round's scale-up cooldown (it held a flash crowd for a minute).
        Outcome surge = c.surge(cooled, step(305_000, pre(3)), SPEC).orElseThrow();
        assertThat(surge.decision().stages().stream().filter(t -> t.stage().equals("pre")).findFirst().orElseThrow()
                .replicas()).isGreaterThan(3);
    }

    @Test
    void theValidatorsLimitsHold() {
        SairController c = SairController.defaults();
        // 1 replica completing 20/s while 200/s arrive wants far more than the 4x step and the max of 8.
        PipelineContext w = window(300_000, 305_000, pre(1), 1000, 100, 1.0, 900, INF);
        ScalingDecision d = c.surge(round(c).state(), w, SPEC).orElseThrow().decision();
        StageTarget preT = d.stages().get(0);
        assertThat(preT.replicas()).isEqualTo(4);
        assertThat(d.adjustments()).anyMatch(a -> a.stage().equals("pre") && a.reason().contains("step limited"));
        assertThat(c.config().validator().feasible(d.stages(), w, SPEC)).isTrue();
    }

    @Test
    void aWindowNotNewerThanTheLastRoundIsIgnored() {
        SairController c = SairController.defaults();
        assertThat(c.surge(round(c).state(), step(300_000, pre(2)), SPEC)).isEmpty();
    }

    @Test
    void switchedOffThereIsNoFastPath() {
        SairController c = new SairController(SairController.ControllerConfig.defaults().withSurge(null));
        assertThat(c.surge(round(c).state(), step(305_000, pre(2)), SPEC)).isEmpty();
    }

    @Test
    void aSurgesCapacityIsNotReleasedWithinTheHold() {
        SairController c = SairController.defaults();
        Cooldowns afterSurge = c.surge(round(c).state(), step(305_000, pre(2)), SPEC).orElseThrow().state().cooldowns();
        ActionValidator v = c.config().validator();
        ScalingAction shrink = ScalingAction.of(StageAction.replicas("pre", 4));
        PipelineContext calm = window(570_000, 600_000, pre(6), 1650, 1650, 0.15, 0, INF);
        // 300 s after the surge the 120 s scale-down cooldown alone would allow it; the hold does not.
        Validated held = v.validate(shrink, calm, SPEC, afterSurge, 600_000);
        assertThat(held.targets().get(0).replicas()).isEqualTo(6);
        assertThat(held.adjustments()).anyMatch(a -> a.reason().startsWith("holding a surge's capacity"));
        // Once the hold has passed, the round releases capacity one step at a time as before.
        Validated released = v.validate(shrink, window(575_000, 605_000, pre(6), 1650, 1650, 0.15, 0, INF), SPEC,
                afterSurge, 605_000);
        assertThat(released.targets().get(0).replicas()).isEqualTo(4);
        // Baselines (bounds only) have no hold.
        assertThat(new ActionValidator(ValidationRules.boundsOnly()).validate(shrink, calm, SPEC, afterSurge, 600_000)
                .targets().get(0).replicas()).isEqualTo(4);
    }

    @Test
    void theNextRoundsRewardSeesTheSurgedAllocation() {
        SairController c = SairController.defaults();
        Outcome r = round(c);
        Outcome s = c.surge(r.state(), step(305_000, pre(2)), SPEC).orElseThrow();
        PipelineContext next = window(300_000, 330_000, pre(6), 6000, 5000, 0.9, 1000, INF);
        List<StageTarget> executed = SairController.executedAction(s.state().pending(), next);
        assertThat(executed.get(0).previous().replicas()).isEqualTo(2);
        assertThat(executed.get(0).replicas()).isEqualTo(6);
        assertThat(c.step(s.state(), next, SPEC).orElseThrow().decision().previousReward()).isNotNull();
    }

    /**
     * A flash crowd that comes back after three hours finds the capacity the last one needed only if the peak is
     * remembered that long: with two surge episodes three hours apart, the peak fades with a three-hour half-life,
     * where it would otherwise have an hour's (three hours on, half of it is left instead of an eighth).
     */
    @Test
    void aPeakIsRememberedAsLongAsSurgesHaveBeenSeenToRecur() {
        SairController c = SairController.defaults();
        long hour = 3_600_000L;
        Outcome first = c.surge(round(c).state(), step(305_000, pre(2)), SPEC).orElseThrow();
        assertThat(first.state().memoryMs()).isEqualTo(hour);
        Outcome again = c.surge(first.state(), step(305_000 + 3 * hour, pre(2)), SPEC).orElseThrow();
        ControllerState s = again.state();
        assertThat(s.memoryMs()).isEqualTo(3 * hour);
        long later = 305_000 + 6 * hour;
        PipelineContext calm = window(later - 30_000, later, pre(6), 1650, 1650, 0.15, 0, INF);
        assertThat(s.peaks(calm).remembered()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(first.state().peaks(window(305_000 + 3 * hour - 30_000, 305_000 + 3 * hour, pre(6), 1650, 1650,
                0.15, 0, INF)).remembered()).isCloseTo(25.0, org.assertj.core.data.Offset.offset(1e-6));
        // Surges a day apart (a slow daily wave's) are remembered four hours, not a day.
        Outcome aDayLater = c.surge(s, step(305_000 + 27 * hour, pre(2)), SPEC).orElseThrow();
        assertThat(aDayLater.state().memoryMs()).isEqualTo(ControllerState.LONGEST_MEMORY_MS).isEqualTo(4 * hour);
    }
}
