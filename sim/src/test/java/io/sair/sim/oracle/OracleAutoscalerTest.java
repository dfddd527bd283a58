package io.sair.sim.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingDecision;
import io.sair.sim.TestingWorkload;
import io.sair.sim.workload.Workload;
import io.sair.sim.loop.Autoscaler;
import io.sair.sim.loop.ClosedLoop;
import io.sair.sim.loop.RunResult;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.PlantOptions;
import io.sair.sim.plant.StageModel;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OracleAutoscalerTest {

    /** 20 rps for 10 min, then 200 rps from minute 10 (image: preprocess 30 ms x size at 2000 m per pod). */
    static Workload step() {
        int calm = 20 * 600;
        int busy = 200 * 120;
        double[] t = new double[calm + busy];
        double[] u = new double[t.length];
        for (int i = 0; i < calm; i++) {
            t[i] = i * 50.0;
        }
        for (int i = 0; i < busy; i++) {
            t[calm + i] = 600_000 + i * 5.0;
        }
        java.util.Arrays.fill(u, 1.0);
        return TestingWorkload.of(t, u);
    }

    @Test
    void asksForTheStepsPodsOneStartUpAheadAndNoMore() {
        AppProfile app = AppProfiles.image();
        Hindsight h = Hindsight.of(app.spec(), app.models(), step());
        PipelinePlant plant = new PipelinePlant(app.spec(), app.models(), step(), PlantOptions.defaults());
        OracleAutoscaler o = new OracleAutoscaler(app.spec(), app.models(), h, plant, 0.5);
        var pre = app.spec().stages().get(0).initial();
        StageModel m = app.models().get(0);
        // Raw 30 ms per image, at 2000 m: x 0.5^0.9; 200 rps -> 3.2 busy servers; at 50% busy 7 pods.
        double perRequest = 30 * m.cpuFactor(2000);
        int busyPods = (int) Math.ceil(200 * perRequest / 1000 / 0.5);
        int calmPods = (int) Math.ceil(20 * perRequest / 1000 / 0.5);
        // Long before the step: the calm load's pods.
        assertThat(o.replicasFor(0, pre, 300_000)).isEqualTo(calmPods);
        // Just inside the look-ahead (start-up 20 s + 5 s + SLA): already the step's pods.
        assertThat(o.replicasFor(0, pre, 600_000 - 20_000)).isEqualTo(busyPods);
        // Just outside it: not yet.
        assertThat(o.replicasFor(0, pre, 600_000 - 20_000 - 5_000 - 150 - 5_000)).isEqualTo(calmPods);
        assertThat(busyPods).isEqualTo(7);
    }

    @Test
    void itReadsNoWindowAndRunsAsIfItHadReadThem() {
        AppProfile app = AppProfiles.image();
        Hindsight h = Hindsight.of(app.spec(), app.models(), step());
        PipelinePlant blind = new PipelinePlant(app.spec(), app.models(), step(), PlantOptions.inProcess());
        OracleAutoscaler oracle = new OracleAutoscaler(app.spec(), app.models(), h, blind, 0.7);
        assertThat(oracle.readsWindows()).isFalse();
        RunResult unread = ClosedLoop.defaults().run("image", "step", 1, blind, oracle);

        PipelinePlant seeing = new PipelinePlant(app.spec(), app.models(), step(), PlantOptions.inProcess());
        OracleAutoscaler inner = new OracleAutoscaler(app.spec(), app.models(), h, seeing, 0.7);
        Autoscaler reading = new Autoscaler() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public long decisionIntervalMs() {
                return inner.decisionIntervalMs();
            }

            @Override
            public Optional<ScalingDecision> decide(PipelineContext ctx) {
                return inner.decide(ctx);
            }
        };
        RunResult read = ClosedLoop.defaults().run("image", "step", 1, seeing, reading);

        assertThat(unread.p99Ms()).isEqualTo(read.p99Ms());
        assertThat(unread.billableCostPer1k()).isEqualTo(read.billableCostPer1k());
        assertThat(unread.decisions()).isEqualTo(read.decisions()).isPositive();
        // Its trajectory has pods only; the one that read its windows saw latencies.
        assertThat(java.util.Arrays.stream(unread.trajectory().p99Ms()).allMatch(Double::isNaN)).isTrue();
        assertThat(java.util.Arrays.stream(read.trajectory().p99Ms()).anyMatch(p -> p > 0)).isTrue();
    }
}
