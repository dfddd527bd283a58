package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.ScalingDecision;
import io.sair.job.state.LearnedStateReader;
import io.sair.job.state.PipelineState;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden savepoint of state layout v6 (v5 with each pipeline's spec in keyed state, where the gate, the context
 * step and the controller kept a broadcast copy each) restores as it is, and its specs are read back from keyed state.
 */
class SavepointV6ITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    // Written on the default topics, like v1 to v5; a broker of its own so the restores do not meet.
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("sair");

    @Test
    void restoresTheGoldenSavepointOfVersionSix(@TempDir Path dir) throws Exception {
        List<ScalingDecision> after = SavepointITCase.restoresGolden("v6", false, KAFKA.broker(), dir);
        assertThat(after.get(0).windowEnd()).isEqualTo(ClosedLoopITCase.EPOCH + (SavepointITCase.GOLDEN_ROUNDS + 1) * 30_000L);
    }

    @Test
    void keepsThePipelinesSpecInKeyedStateBesideWhatItLearned() throws Exception {
        List<PipelineState> states = LearnedStateReader.read(SavepointITCase.GOLDEN.resolve("v6").toAbsolutePath().toString());
        assertThat(states).singleElement().satisfies(s -> {
            assertThat(s.state()).isNotNull();
            assertThat(s.spec()).isNotNull();
            assertThat(s.spec().name()).isEqualTo(s.pipeline());
        });
    }
}
