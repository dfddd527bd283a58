package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.ScalingDecision;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The golden savepoint of state layout v3 (one stage-window operator, open reports in keyed state) restores as it is. */
class SavepointV3ITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    // Written on the default topics, like v1 and v2; a broker of its own so the restores do not meet.
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("sair");

    @Test
    void restoresTheGoldenSavepointOfVersionThree(@TempDir Path dir) throws Exception {
        List<ScalingDecision> after = SavepointITCase.restoresGolden("v3", false, KAFKA.broker(), dir);
        // The windows open at the savepoint (StageWindows' open-reports) carried over: the first round after it
        // is the one right after the savepoint's last.
        assertThat(after.get(0).windowEnd()).isEqualTo(ClosedLoopITCase.EPOCH + (SavepointITCase.GOLDEN_ROUNDS + 1) * 30_000L);
    }
}
