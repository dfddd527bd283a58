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

class Ds2PolicyTest {

    private static final long T0 = 1_000_000;
    private static final long ROUND = 30_000;
    /** Stabilization 5 min + a full 15 min metrics window. */
    private static final long FIRST_DECISION = 20 * 60_000L;

    private static final PipelineSpec SPEC = TestPipelines.spec(500,
            TestPipelines.stage("op", StageKind.CPU, StageLimits.defaults().withReplicas(1, 20), null));

    /** A 30 s window with 10 requests/s in, the stage busy this share of the time. */
    private static List<StageAction> round(Ds2Policy p, long at, int replicas, double busy) {
        return round(p, at, replicas, busy, 300);
    }

    private static List<StageAction> round(Ds2Policy p, long at, int replicas, double busy, long completed) {
        return p.propose(input(context(at, 100, 500, window("op", StageKind.CPU).replicas(replicas)
                .traffic(300, completed).cpuUtil(busy).at(at)), SPEC)).action().stages();
    }

    /** Rounds from T0 up to (not including) the given time, all alike; asserts none decided. */
    private static void quietUntil(Ds2Policy p, long until, int replicas, double busy) {
        quiet(p, T0, until, replicas, busy, 300);
    }

    private static void quiet(Ds2Policy p, long from, long until, int replicas, double busy, long completed) {
        for (long t = from; t < until; t += ROUND) {
            assertThat(round(p, t, replicas, busy, completed)).as("at %d min", (t - T0) / 60_000).isEmpty();
        }
    }

    @Test
    void waitsForTheStabilizationIntervalAndAFullMetricsWindow() {
        Ds2Policy p = new Ds2Policy(Ds2Settings.defaults());
        // Saturated: 10/s in, 8/s out at 100% busy, so the true rate is 8/s.
        quiet(p, T0, T0 + FIRST_DECISION, 2, 1.0, 240);
        // Target 10 x 5 / 30 (restart) + 10 / 0.7 = 16/s: ceil(2 x 16 / 8) = 4.
        assertThat(round(p, T0 + FIRST_DECISION, 2, 1.0, 240)).containsExactly(StageAction.replicas("op", 4));
        // A rescale restarts the clock: still saturated, but nothing for another 20 min.
        long next = T0 + 2 * FIRST_DECISION;
        quiet(p, T0 + FIRST_DECISION + ROUND, next, 4, 1.0, 240);
        assertThat(round(p, next, 4, 1.0, 240)).containsExactly(StageAction.replicas("op", 8));
    }

    @Test
    void noChangeWithinTheUtilisationBoundary() {
        Ds2Policy p = new Ds2Policy(Ds2Settings.defaults());
        // True rate 10 / 0.9 = 11.1/s and 10 / 0.45 = 22.2/s: both between the capacity needed at 70% + 30%
        // (10/s) and at 70% - 30% (25/s), so a stage 90% busy is left alone.
        quietUntil(p, T0 + FIRST_DECISION, 2, 0.9);
        assertThat(round(p, T0 + FIRST_DECISION, 2, 0.9)).isEmpty();
        Ds2Policy q = new Ds2Policy(Ds2Settings.defaults());
        quietUntil(q, T0 + FIRST_DECISION, 2, 0.45);
        assertThat(round(q, T0 + FIRST_DECISION, 2, 0.45)).isEmpty();
    }

    @Test
    void scaleDownIsCappedByTheMaxFactor() {
        Ds2Policy p = new Ds2Policy(Ds2Settings.defaults());
        quietUntil(p, T0 + FIRST_DECISION, 10, 0.1);
        // True rate 100/s against 16/s needed: factor 0.16, capped at 1 - 0.6 = 0.4 -> 4 of 10.
        assertThat(round(p, T0 + FIRST_DECISION, 10, 0.1)).containsExactly(StageAction.replicas("op", 4));
    }

    @Test
    void noScaleDownWithinTheGracePeriodOfAScaleUp() {
        Ds2Policy p = new Ds2Policy(Ds2Settings.defaults());
        quiet(p, T0, T0 + FIRST_DECISION, 2, 1.0, 240);
        assertThat(round(p, T0 + FIRST_DECISION, 2, 1.0, 240)).containsExactly(StageAction.replicas("op", 4));
        // Load drops; 20 min later the window is full again and asks for fewer, but the 1 h grace holds.
        long second = T0 + 2 * FIRST_DECISION;
        quiet(p, T0 + FIRST_DECISION + ROUND, second, 4, 0.1, 300);
        assertThat(round(p, second, 4, 0.1)).isEmpty();
        // After the grace period it scales down (by at most 60%).
        long later = T0 + FIRST_DECISION + 3_600_000L;
        quiet(p, second + ROUND, later, 4, 0.1, 300);
        assertThat(round(p, later, 4, 0.1)).containsExactly(StageAction.replicas("op", 2));
    }
}
