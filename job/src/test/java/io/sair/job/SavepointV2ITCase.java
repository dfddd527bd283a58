package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.ScalingDecision;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The golden savepoint of state layout v2 (stage windows as list state) restores as it is. */
class SavepointV2ITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    // Written on the default topics, like v1; a broker of its own so the two restores do not meet.
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("sair");

    @Test
    void restoresTheGoldenSavepointOfVersionTwo(@TempDir Path dir) throws Exception {
        List<ScalingDecision> after = SavepointITCase.restoresGolden("v2", false, KAFKA.broker(), dir);
        // Restored as it is (no unclaimed state allowed): the windows open at the savepoint carried over too,
        // so the first round after it is the one right after the savepoint's last.
        assertThat(after.get(0).windowEnd()).isEqualTo(ClosedLoopITCase.EPOCH + (SavepointITCase.GOLDEN_ROUNDS + 1) * 30_000L);
    }
}
