package io.sair.core.policy.baseline;

import static io.sair.core.policy.baseline.TestPipelines.context;
import static io.sair.core.policy.baseline.TestPipelines.input;
import static io.sair.core.policy.baseline.TestPipelines.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import org.junit.jupiter.api.Test;

class ThresholdPolicyTest {

    private static final long T0 = 1_000_000;
    private final PipelineSpec spec = TestPipelines.threeStages();

    private static ScalingAction round(ThresholdPolicy p, PipelineSpec spec, long at, double preP99, int preReplicas,
                                       double infP99) {
        return p.propose(input(context(at, 300, 500,
                window("pre", StageKind.CPU).replicas(preReplicas).p99(preP99).at(at),
                window("inf", StageKind.GPU).replicas(2).p99(infP99).at(at),
                window("post", StageKind.CPU).p99(60).at(at)), spec)).action();
    }

    @Test
    void aboveTheThresholdAddsAReplica() {
        ThresholdPolicy p = new ThresholdPolicy(ThresholdSettings.defaults());
        assertThat(round(p, spec, T0, 150, 2, 150).stages()).containsExactly(StageAction.replicas("pre", 3));
    }

    @Test
    void gpuStagesUseTheirOwnThreshold() {
        ThresholdPolicy p = new ThresholdPolicy(ThresholdSettings.defaults());
        assertThat(round(p, spec, T0, 60, 1, 250).stages()).containsExactly(StageAction.replicas("inf", 3));
    }

    @Test
    void wellBelowTheThresholdRemovesAReplicaButNotTheLast() {
        ThresholdPolicy p = new ThresholdPolicy(ThresholdSettings.defaults());
        // pre at 40 ms < 50 ms with 3 replicas shrinks; inf at 90 ms < 100 ms shrinks; post (1 replica) cannot.
        assertThat(round(p, spec, T0, 40, 3, 90).stages())
                .containsExactly(StageAction.replicas("pre", 2), StageAction.replicas("inf", 1));
    }

    @Test
    void aStageThatChangedCoolsDown() {
        ThresholdPolicy p = new ThresholdPolicy(ThresholdSettings.defaults());
        assertThat(round(p, spec, T0, 150, 2, 150).stages()).hasSize(1);
        assertThat(round(p, spec, T0 + 30_000, 150, 3, 150).stages()).isEmpty();
        assertThat(round(p, spec, T0 + 60_000, 150, 3, 150).stages()).containsExactly(StageAction.replicas("pre", 4));
    }

    @Test
    void tunedThresholdsApply() {
        ThresholdPolicy p = new ThresholdPolicy(ThresholdSettings.defaults().withThresholds(200, 100));
        assertThat(round(p, spec, T0, 150, 2, 150).stages()).containsExactly(StageAction.replicas("inf", 3));
    }

    @Test
    void noLatencyNoAction() {
        ThresholdPolicy p = new ThresholdPolicy(ThresholdSettings.defaults());
        assertThat(round(p, spec, T0, Double.NaN, 2, 150).stages()).isEmpty();
    }
}
