package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.ScalingDecision;
import io.sair.core.policy.StageCapacity;
import io.sair.job.state.LearnedStateReader;
import io.sair.job.state.PipelineState;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The golden savepoint of state layout v5 (v4 with the stages' learned rates) restores as it is, rates and all. */
class SavepointV5ITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    // Written on the default topics, like v1 to v4; a broker of its own so the restores do not meet.
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("sair");

    @Test
    void restoresTheGoldenSavepointOfVersionFive(@TempDir Path dir) throws Exception {
        List<ScalingDecision> after = SavepointITCase.restoresGolden("v5", false, KAFKA.broker(), dir);
        assertThat(after.get(0).windowEnd()).isEqualTo(ClosedLoopITCase.EPOCH + (SavepointITCase.GOLDEN_ROUNDS + 1) * 30_000L);
    }

    @Test
    void holdsTheRatesItsStagesWereSeenToServe() throws Exception {
        List<PipelineState> states = LearnedStateReader.read(SavepointITCase.GOLDEN.resolve("v5").toAbsolutePath().toString());
        assertThat(states).hasSize(1);
        StageCapacity capacity = states.get(0).state().capacity();
        // Twelve rounds of the simulated image pipeline: every stage ran settled windows busy enough to teach.
        assertThat(capacity.stages()).containsExactlyInAnyOrder("preprocess", "inference", "postprocess");
        assertThat(java.util.Arrays.stream(capacity.perUnit()).boxed().toList()).allSatisfy(r -> assertThat(r).isPositive());
    }
}
