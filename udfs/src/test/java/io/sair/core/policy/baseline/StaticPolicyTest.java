package io.sair.core.policy.baseline;

import static io.sair.core.policy.baseline.TestPipelines.context;
import static io.sair.core.policy.baseline.TestPipelines.input;
import static io.sair.core.policy.baseline.TestPipelines.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.ActionType;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import org.junit.jupiter.api.Test;

class StaticPolicyTest {

    private static final long T0 = 1_000_000;
    private final PipelineSpec spec = TestPipelines.threeStages();
    private final StaticPolicy policy = new StaticPolicy();

    @Test
    void theFixedAllocationIsLeftAsItIs() {
        ScalingAction a = policy.propose(input(context(T0, 900, 500,
                window("pre", StageKind.CPU).cpuUtil(1.0).at(T0), window("inf", StageKind.GPU).gpuUtil(1.0).at(T0),
                window("post", StageKind.CPU).at(T0)), spec)).action();
        assertThat(a.stages()).isEmpty();
    }

    @Test
    void anythingElseIsRestoredToOneReplicaAndTheInitialResources() {
        ScalingAction a = policy.propose(input(context(T0, 100, 500,
                window("pre", StageKind.CPU).allocation(new Allocation(3, 2000, 1024, 1.0)).at(T0),
                window("inf", StageKind.GPU).allocation(new Allocation(2, 1000, 1024, 0.5)).at(T0),
                window("post", StageKind.CPU).allocation(new Allocation(1, 1000, 2048, 1.0)).at(T0)), spec)).action();
        assertThat(a.stages()).containsExactly(
                new StageAction("pre", ActionType.SCALE_BOTH, 1, 1000, 1024, null),
                // One action per stage: replicas now, the rate in the next round.
                StageAction.replicas("inf", 1),
                StageAction.resources("post", 1000, 1024));
    }

    @Test
    void aGpuStageAtOneReplicaGetsItsRateBack() {
        ScalingAction a = policy.propose(input(context(T0, 100, 500,
                window("inf", StageKind.GPU).allocation(new Allocation(1, 1000, 1024, 0.5)).at(T0)), spec)).action();
        assertThat(a.stages()).containsExactly(StageAction.rate("inf", 1.0));
    }
}
