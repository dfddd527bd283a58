package io.sair.sim.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.SairController;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageTarget;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {

    static final Policy HOLD = new Policy() {
        @Override
        public Proposal propose(PolicyInput in) {
            return Proposal.none("hold");
        }

        @Override
        public String name() {
            return "static";
        }
    };

    @Test
    void sairScalesThroughBurstsThatOverloadTheStaticAllocation() {
        AppProfile app = AppProfiles.image();
        long n = 200_000;
        RunResult fixed = ClosedLoop.defaults().run("image", "burst", 1, Scenarios.plant(app, "burst", n, 1, null, 1),
                PolicyAutoscaler.baseline("static", HOLD, app.spec()));
        RunResult sair = ClosedLoop.defaults().run("image", "burst", 1, Scenarios.plant(app, "burst", n, 1, null, 1),
                SairAutoscaler.defaults(app.spec()));
        assertThat(fixed.decisions()).isZero();
        assertThat(sair.decisions()).isGreaterThan(0);
        assertThat(sair.requests()).isEqualTo(fixed.requests()).isEqualTo(n);
        assertThat(sair.p99Ms()).isLessThan(fixed.p99Ms() * 0.7);
        assertThat(sair.slaViolationPct()).isLessThan(fixed.slaViolationPct());
    }

    @Test
    void theFastPathAddsCapacityBetweenRoundsAndCutsTheFirstBurstsBacklog() {
        AppProfile app = AppProfiles.image();
        long n = 100_000;
        List<ScalingDecision> surges = new ArrayList<>();
        SairAutoscaler inner = SairAutoscaler.defaults(app.spec());
        Autoscaler watched = new Autoscaler() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public long surgeIntervalMs() {
                return inner.surgeIntervalMs();
            }

            @Override
            public Optional<ScalingDecision> surge(java.util.function.Supplier<PipelineContext> shortWindow) {
                Optional<ScalingDecision> d = inner.surge(shortWindow);
                d.ifPresent(surges::add);
                return d;
            }

            @Override
            public Optional<ScalingDecision> decide(PipelineContext ctx) {
                return inner.decide(ctx);
            }
        };
        RunResult withSurge = ClosedLoop.defaults().run("image", "burst", 1, Scenarios.plant(app, "burst", n, 1, null, 1),
                watched);
        SairAutoscaler off = new SairAutoscaler("sair", new SairController(
                SairController.ControllerConfig.defaults().withSurge(null)), app.spec(), null);
        assertThat(off.surgeIntervalMs()).isZero();
        RunResult without = ClosedLoop.defaults().run("image", "burst", 1, Scenarios.plant(app, "burst", n, 1, null, 1),
                off);

        assertThat(surges).isNotEmpty();
        for (ScalingDecision d : surges) {
            assertThat(d.selector()).isEqualTo(Selector.SURGE);
            // Between the 30 s rounds, at a 5 s report, and only ever upward.
            assertThat(d.windowEnd() % 30_000).isNotZero();
            assertThat(d.windowEnd() % 5_000).isZero();
            for (StageTarget t : d.stages()) {
                assertThat(t.replicas()).isGreaterThanOrEqualTo(t.previous().replicas());
                assertThat(t.cpuMillis()).isGreaterThanOrEqualTo(t.previous().cpuMillis());
                assertThat(t.rate()).isGreaterThanOrEqualTo(t.previous().rate());
            }
        }
        // The first burst (minute 5, 3.6x the calm load) is met within seconds instead of at the next round.
        assertThat(surges.get(0).windowEnd()).isBetween(300_000L, 310_000L);
        assertThat(withSurge.slaViolationPct()).isLessThan(without.slaViolationPct() * 0.8);
    }

    @Test
    void aRunIsDeterministicForASeed() {
        AppProfile app = AppProfiles.nlp();
        RunResult a = ClosedLoop.defaults().run("nlp", "ramp", 2, Scenarios.plant(app, "ramp", 60_000, 2, null, 1),
                SairAutoscaler.defaults(app.spec()));
        RunResult b = ClosedLoop.defaults().run("nlp", "ramp", 2, Scenarios.plant(app, "ramp", 60_000, 2, null, 1),
                SairAutoscaler.defaults(app.spec()));
        assertThat(b.p99Ms()).isEqualTo(a.p99Ms());
        assertThat(b.effectiveCostPer1k()).isEqualTo(a.effectiveCostPer1k());
        assertThat(b.decisions()).isEqualTo(a.decisions());
        assertThat(b.meanReplicas()).isEqualTo(a.meanReplicas());
    }
}
