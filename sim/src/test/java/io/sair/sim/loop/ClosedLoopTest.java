package io.sair.sim.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
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
