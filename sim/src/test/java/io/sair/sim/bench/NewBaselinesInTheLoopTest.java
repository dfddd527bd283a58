package io.sair.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.loop.Autoscaler;
import io.sair.sim.loop.ClosedLoop;
import io.sair.sim.loop.RunResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request-driven baselines in the closed loop: their own decision interval, their sweep, a run that scales. */
class NewBaselinesInTheLoopTest {

    private static final AppProfile IMAGE = AppProfiles.get("image");

    @Test
    void requestDrivenBaselinesDecideAtTheirOwnInterval() {
        assertThat(Autoscalers.create("kpa", IMAGE, Tuning.DEFAULT, null, null).decisionIntervalMs()).isEqualTo(5_000);
        assertThat(Autoscalers.create("ray", IMAGE, Tuning.DEFAULT, null, null).decisionIntervalMs()).isEqualTo(5_000);
        assertThat(Autoscalers.create("keda", IMAGE, Tuning.DEFAULT, null, null).decisionIntervalMs()).isEqualTo(15_000);
        assertThat(Autoscalers.create("hpa", IMAGE, Tuning.DEFAULT, null, null).decisionIntervalMs()).isZero();
    }

    @Test
    void aPodsCapacityIsItsServersTimesItsBatch() {
        // image: preprocess 2 servers x 1, inference 1 x batch 16, postprocess 1 x 1 (AppProfiles).
        Map<String, Integer> cap = Autoscalers.podCapacity(IMAGE);
        assertThat(cap).hasSize(3);
        IMAGE.models().forEach(m -> assertThat(cap.get(m.name())).isEqualTo(m.slots() * m.maxBatch()));
    }

    @Test
    void everyKnobbedBaselineIsSwept() {
        List<Tuning> c = GridBench.candidates("image");
        for (String a : GridBench.TUNED) {
            assertThat(c.stream().filter(t -> a.equals(t.autoscaler())).count()).as(a).isGreaterThanOrEqualTo(3);
        }
        assertThat(c.stream().map(Tuning::label).distinct().count()).isEqualTo(c.size());
    }

    @Test
    void theDs2ScalerWaitsTwentyMinutesThenFollowsTheRamp() {
        Autoscaler a = Autoscalers.create("ds2", IMAGE, Tuning.DEFAULT, null, null);
        RunResult r = ClosedLoop.defaults().run("image", "ramp", 1, Scenarios.plant(IMAGE, "ramp", 300_000, 1, null, 1.0), a);
        double[] t = r.trajectory().tSec();
        double[] pods = r.trajectory().replicas();
        boolean changed = false;
        for (int i = 0; i < t.length; i++) {
            if (t[i] <= 20 * 60) {
                // Stabilization (5 min) and a full metrics window (15 min) come first.
                assertThat(pods[i]).as("pods at %.0f s", t[i]).isEqualTo(pods[0]);
            } else {
                changed |= pods[i] != pods[0];
            }
        }
        assertThat(changed).isTrue();
    }

    @Test
    void eachRequestDrivenBaselineScalesABurstOut() {
        for (String name : List.of("kpa", "keda", "ray")) {
            Autoscaler a = Autoscalers.create(name, IMAGE, Tuning.DEFAULT, null, null);
            RunResult r = ClosedLoop.defaults().run("image", "burst", 1,
                    Scenarios.plant(IMAGE, "burst", 150_000, 1, null, 1.0), a);
            assertThat(r.decisions()).as(name).isPositive();
            assertThat(r.requests()).isEqualTo(150_000);
            // More pods on average than the 4 the app starts with: the bursts were met by scaling out.
            assertThat(r.meanReplicas()).as(name).isGreaterThan(4.0);
        }
    }
}
