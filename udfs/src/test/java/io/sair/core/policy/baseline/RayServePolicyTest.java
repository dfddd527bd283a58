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
import org.junit.jupiter.api.Test;

class RayServePolicyTest {

    private static final long T0 = 1_000_000;
    private static final long TICK = 5_000;

    private static final PipelineSpec SPEC = TestPipelines.spec(500,
            TestPipelines.stage("model", StageKind.GPU, StageLimits.defaults().withReplicas(1, 20), null));

    private static List<StageAction> tick(RayServePolicy p, long at, int replicas, long ongoing) {
        return p.propose(input(context(at, 100, 500, window("model", StageKind.GPU).replicas(replicas).span(TICK)
                .traffic(0, 0).queue(ongoing, 0).at(at)), SPEC)).action().stages();
    }

    @Test
    void waitsTheUpscaleDelayBeforeScalingUp() {
        RayServePolicy p = new RayServePolicy(RayServeSettings.defaults());
        // 6 ongoing / target 2 = 3 replicas wanted from the first round on; upscale_delay_s is 30.
        for (long t = T0; t < T0 + 30_000; t += TICK) {
            assertThat(tick(p, t, 1, 6)).as("at +%d s", (t - T0) / 1000).isEmpty();
        }
        assertThat(tick(p, T0 + 30_000, 1, 6)).containsExactly(StageAction.replicas("model", 3));
    }

    @Test
    void waitsTheDownscaleDelayAndADirectionChangeRestartsIt() {
        RayServePolicy p = new RayServePolicy(RayServeSettings.defaults());
        long t = T0;
        for (; t < T0 + 300_000; t += TICK) {
            assertThat(tick(p, t, 4, 2)).isEmpty();
        }
        // Half way through downscale_delay_s a 5 s burst wants more for 25 s (the look-back holds it that long,
        // shorter than upscale_delay_s, so nothing scales up), and the downscale count starts over.
        assertThat(tick(p, t, 4, 40)).isEmpty();
        long restart = t + 30_000;
        for (long d = t + TICK; d < restart + 600_000; d += TICK) {
            assertThat(tick(p, d, 4, 2)).as("at %+d s from the restart", (d - restart) / 1000).isEmpty();
        }
        assertThat(tick(p, restart + 600_000, 4, 2)).containsExactly(StageAction.replicas("model", 1));
    }

    @Test
    void theTargetIsPerDeployment() {
        RayServePolicy p = new RayServePolicy(RayServeSettings.defaults().withTargets(java.util.Map.of("model", 8.0)));
        for (long t = T0; t < T0 + 30_000; t += TICK) {
            tick(p, t, 1, 24);
        }
        assertThat(tick(p, T0 + 30_000, 1, 24)).containsExactly(StageAction.replicas("model", 3));
    }
}
