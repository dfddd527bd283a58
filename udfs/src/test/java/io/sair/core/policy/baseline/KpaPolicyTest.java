package io.sair.core.policy.baseline;

import static io.sair.core.policy.baseline.TestPipelines.context;
import static io.sair.core.policy.baseline.TestPipelines.input;
import static io.sair.core.policy.baseline.TestPipelines.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KpaPolicyTest {

    private static final long T0 = 1_000_000;
    private static final long TICK = 5_000;

    private static final PipelineSpec SPEC = TestPipelines.spec(500,
            TestPipelines.stage("web", StageKind.CPU, StageLimits.defaults().withReplicas(1, 20), null));

    /** containerConcurrency 10 at the default 70%: 7 requests per pod. */
    private static KpaPolicy kpa() {
        return new KpaPolicy(KpaSettings.defaults().withContainerConcurrency(Map.of("web", 10)));
    }

    /** One 5 s report with the given pods and requests inside the stage (all waiting, nothing arriving). */
    private static List<StageAction> tick(KpaPolicy p, long at, int pods, long concurrency) {
        return p.propose(input(context(at, 100, 500, window("web", StageKind.CPU).replicas(pods).span(TICK)
                .traffic(0, 0).queue(concurrency, 0).at(at)), SPEC)).action().stages();
    }

    /** A minute at the given concurrency, so the stable window holds only it; returns the last round. */
    private static List<StageAction> steady(KpaPolicy p, long from, int pods, long concurrency) {
        List<StageAction> last = List.of();
        for (long t = from; t < from + 60_000; t += TICK) {
            last = tick(p, t, pods, concurrency);
        }
        return last;
    }

    @Test
    void stableModeAimsAtTheTargetPerPod() {
        KpaPolicy p = kpa();
        // 28 in flight / 7 per pod = 4 pods; the panic window asks 4 / 3 = 1.33x the ready pods: no panic.
        assertThat(tick(p, T0, 3, 28)).containsExactly(StageAction.replicas("web", 4));
        assertThat(p.panicking("web")).isFalse();
    }

    @Test
    void panicsAtTwiceTheTargetAndNotBelow() {
        KpaPolicy calm = kpa();
        assertThat(steady(calm, T0, 2, 14)).isEmpty();
        // A 5 s burst to 20: the 6 s panic window averages (5 x 20 + 1 x 14) / 6 = 19, 3 pods = 1.5x: stable mode.
        List<StageAction> mild = tick(calm, T0 + 60_000, 2, 20);
        assertThat(calm.panicking("web")).isFalse();
        assertThat(mild).containsExactly(StageAction.replicas("web", 3)); // stable: ceil(14.5 / 7)

        KpaPolicy burst = kpa();
        steady(burst, T0, 2, 14);
        // A 5 s burst to 28: the panic window averages 25.7, 4 pods = 2.0x the ready pods: panic, and the larger count.
        assertThat(tick(burst, T0 + 60_000, 2, 28)).containsExactly(StageAction.replicas("web", 4));
        assertThat(burst.panicking("web")).isTrue();
    }

    @Test
    void doesNotScaleDownWhilePanicking() {
        KpaPolicy p = kpa();
        steady(p, T0, 2, 14);
        long burst = T0 + 60_000;
        assertThat(tick(p, burst, 2, 28)).containsExactly(StageAction.replicas("web", 4));
        // The load vanishes; for a whole stable window after the last reason to panic, 4 pods stay.
        for (long t = burst + TICK; t <= burst + 60_000; t += TICK) {
            assertThat(tick(p, t, 4, 0)).as("at +%d s", (t - burst) / 1000).isEmpty();
            assertThat(p.panicking("web")).isTrue();
        }
        // Then it leaves panic mode and scales down, by at most half of the ready pods (max-scale-down-rate 2).
        assertThat(tick(p, burst + 65_000, 4, 0)).containsExactly(StageAction.replicas("web", 2));
        assertThat(p.panicking("web")).isFalse();
    }

    @Test
    void thePanicWindowIsTenPercentOfTheStableWindow() {
        assertThat(KpaSettings.defaults().panicWindowMs()).isEqualTo(6_000);
        assertThat(KpaSettings.defaults().targetPerPod("no-cc")).isEqualTo(70.0);
    }
}
