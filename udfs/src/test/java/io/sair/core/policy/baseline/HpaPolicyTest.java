package io.sair.core.policy.baseline;

import static io.sair.core.policy.baseline.TestPipelines.context;
import static io.sair.core.policy.baseline.TestPipelines.input;
import static io.sair.core.policy.baseline.TestPipelines.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import org.junit.jupiter.api.Test;

class HpaPolicyTest {

    private static final long T0 = 1_000_000;

    /** One CPU stage "web" with the given replica bounds. */
    private static PipelineSpec web(int min, int max) {
        return TestPipelines.spec(500, TestPipelines.stage("web", StageKind.CPU,
                StageLimits.defaults().withReplicas(min, max), null));
    }

    private static ScalingAction round(HpaPolicy hpa, PipelineSpec spec, long at, int replicas, double util) {
        return hpa.propose(input(context(at, 100, 500,
                window("web", StageKind.CPU).replicas(replicas).cpuUtil(util).at(at)), spec)).action();
    }

    private static HpaPolicy hpa(double target) {
        return new HpaPolicy(HpaSettings.defaults().withTarget(target));
    }

    @Test
    void twiceTheTargetMetricDoublesTheReplicas() {
        // Kubernetes docs: current 200m, desired 100m -> ratio 2.0 -> double.
        assertThat(round(hpa(0.1), web(1, 8), T0, 2, 0.2).stages()).containsExactly(StageAction.replicas("web", 4));
    }

    @Test
    void halfTheTargetMetricHalvesTheReplicas() {
        // Kubernetes docs: current 50m, desired 100m -> ratio 0.5 -> halve.
        assertThat(round(hpa(0.1), web(1, 8), T0, 4, 0.05).stages()).containsExactly(StageAction.replicas("web", 2));
    }

    @Test
    void aRatioWithinTheToleranceDoesNothing() {
        // 0.76 / 0.7 = 1.086, within the default 10%.
        assertThat(round(hpa(0.7), web(1, 8), T0, 3, 0.76).stages()).isEmpty();
        assertThat(round(hpa(0.7), web(1, 8), T0 + 30_000, 3, 0.65).stages()).isEmpty();
    }

    @Test
    void ninetyPercentAgainstFiftyPercentRoundsUp() {
        // 3 x 0.9 / 0.5 = 5.4 -> 6.
        assertThat(round(hpa(0.5), web(1, 8), T0, 3, 0.9).stages()).containsExactly(StageAction.replicas("web", 6));
    }

    @Test
    void scaleDownWaitsForTheStabilizationWindow() {
        HpaPolicy h = hpa(0.7);
        PipelineSpec spec = web(1, 8);
        assertThat(round(h, spec, T0, 4, 0.7).stages()).isEmpty();
        // The recommendation drops to 2, but 4 was recommended 30 s ago, inside the 60 s window.
        assertThat(round(h, spec, T0 + 30_000, 4, 0.35).stages()).isEmpty();
        // The recommendation of 4 has left the window.
        assertThat(round(h, spec, T0 + 60_000, 4, 0.35).stages()).containsExactly(StageAction.replicas("web", 2));
    }

    @Test
    void aZeroWindowScalesDownAtOnce() {
        HpaPolicy h = new HpaPolicy(HpaSettings.defaults().withStabilization(0));
        assertThat(round(h, web(1, 8), T0, 4, 0.7).stages()).isEmpty();
        assertThat(round(h, web(1, 8), T0 + 30_000, 4, 0.35).stages()).containsExactly(StageAction.replicas("web", 2));
    }

    @Test
    void scaleUpIsNotStabilized() {
        HpaPolicy h = hpa(0.7);
        PipelineSpec spec = web(1, 8);
        round(h, spec, T0, 2, 0.3);
        assertThat(round(h, spec, T0 + 30_000, 2, 1.4).stages()).containsExactly(StageAction.replicas("web", 4));
    }

    @Test
    void boundsClampTheRecommendation() {
        assertThat(round(hpa(0.5), web(1, 8), T0, 6, 1.0).stages()).containsExactly(StageAction.replicas("web", 8));
        assertThat(round(hpa(0.7), web(2, 5), T0, 4, 0.01).stages()).containsExactly(StageAction.replicas("web", 2));
    }

    @Test
    void scaleUpIsLimitedToMaxOfFourPodsAndDoublePerPeriod() {
        HpaPolicy h = hpa(0.7);
        PipelineSpec spec = web(1, 100);
        // 2 x 10 = 20 wanted; the limit is max(2 + 4, 2 x 2) = 6.
        assertThat(round(h, spec, T0, 2, 7.0).stages()).containsExactly(StageAction.replicas("web", 6));
        // 10 s later the period that began with 2 pods is not over: no more.
        assertThat(round(h, spec, T0 + 10_000, 6, 7.0).stages()).isEmpty();
        // A 30 s round later the period starts from 6: max(10, 12) = 12.
        assertThat(round(h, spec, T0 + 30_000, 6, 7.0).stages()).containsExactly(StageAction.replicas("web", 12));
    }

    @Test
    void aGpuStageScalesOnItsRateNormalisedUtilisation() {
        PipelineSpec spec = TestPipelines.spec(500, StageSpec.of("inf", StageKind.GPU));
        ScalingAction a = hpa(0.7).propose(input(context(T0, 100, 500,
                window("inf", StageKind.GPU).replicas(2).cpuUtil(0.1).gpuUtil(1.4).at(T0)), spec)).action();
        assertThat(a.stages()).containsExactly(StageAction.replicas("inf", 4));
    }

    @Test
    void aStageWithoutAMetricIsLeftAlone() {
        assertThat(round(hpa(0.7), web(1, 8), T0, 2, Double.NaN).stages()).isEmpty();
    }

    @Test
    void aMissingStageIsLeftAlone() {
        ScalingAction a = hpa(0.7).propose(input(context(T0, 100, 500,
                window("pre", StageKind.CPU).replicas(2).cpuUtil(1.4).at(T0)), TestPipelines.threeStages())).action();
        assertThat(a.stages()).containsExactly(StageAction.replicas("pre", 4));
    }
}
