package io.sair.core.policy.baseline;

import static io.sair.core.policy.baseline.TestPipelines.input;
import static io.sair.core.policy.baseline.TestPipelines.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

class KedaPolicyTest {

    private static final long T0 = 1_000_000;
    private static final long SYNC = 15_000;

    private static final PipelineSpec SPEC = TestPipelines.spec(500,
            TestPipelines.stage("consumer", StageKind.CPU, StageLimits.defaults().withReplicas(1, 20), null));

    private static List<StageAction> poll(KedaPolicy p, long at, int replicas, long queue) {
        StageWindow w = window("consumer", StageKind.CPU).replicas(replicas).span(SYNC).traffic(0, 0).queue(queue, 0)
                .at(at);
        return p.propose(input(TestPipelines.context(at, 100, 500, w), SPEC)).action().stages();
    }

    /** A round in which the stage's metric could not be read: its window is missing. */
    private static List<StageAction> failedPoll(KedaPolicy p, long at) {
        PipelineContext ctx = new PipelineContext("pipe", at, List.of(), List.of("consumer"), 100, 500, 0, 1, 1, 10);
        return p.propose(input(ctx, SPEC)).action().stages();
    }

    @Test
    void desiredReplicasAreTheQueueOverTheTargetPerReplica() {
        KedaPolicy p = new KedaPolicy(KedaSettings.defaults());
        assertThat(poll(p, T0, 2, 50)).containsExactly(StageAction.replicas("consumer", 5));
        // 21 / (10 x 2) = 1.05: within the HPA's 10% tolerance.
        assertThat(poll(new KedaPolicy(KedaSettings.defaults()), T0, 2, 21)).isEmpty();
    }

    @Test
    void scaleDownWaitsForKubernetesFiveMinuteStabilization() {
        KedaPolicy p = new KedaPolicy(KedaSettings.defaults());
        assertThat(poll(p, T0, 5, 50)).isEmpty();
        for (long t = T0 + SYNC; t < T0 + 300_000; t += SYNC) {
            assertThat(poll(p, t, 5, 5)).as("at +%d s", (t - T0) / 1000).isEmpty();
        }
        assertThat(poll(p, T0 + 300_000, 5, 5)).containsExactly(StageAction.replicas("consumer", 1));
    }

    @Test
    void fallbackReplicasApplyWhenMetricsStop() {
        KedaPolicy p = new KedaPolicy(KedaSettings.defaults().withFallback(3, 6));
        assertThat(poll(p, T0, 2, 20)).isEmpty();
        assertThat(failedPoll(p, T0 + SYNC)).isEmpty();
        assertThat(failedPoll(p, T0 + 2 * SYNC)).isEmpty();
        // The third failure in a row: KEDA reports 6 x target, the HPA computes 6.
        assertThat(failedPoll(p, T0 + 3 * SYNC)).containsExactly(StageAction.replicas("consumer", 6));
        // A metric read again ends the fallback: the queue decides (20 / 10 = 2, held up by the stabilization).
        assertThat(poll(p, T0 + 4 * SYNC, 6, 20)).isEmpty();
    }

    @Test
    void withoutAFallbackAMissingMetricChangesNothing() {
        KedaPolicy p = new KedaPolicy(KedaSettings.defaults());
        assertThat(poll(p, T0, 2, 20)).isEmpty();
        for (int i = 1; i <= 5; i++) {
            assertThat(failedPoll(p, T0 + i * SYNC)).isEmpty();
        }
    }
}
