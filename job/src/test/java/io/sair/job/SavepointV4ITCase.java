package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.ScalingDecision;
import io.sair.core.policy.LoadRise;
import io.sair.job.state.LearnedStateReader;
import io.sair.job.state.PipelineState;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The golden savepoint of state layout v4 (v3 with the load rise in the controller state) restores as it is, rise and all. */
class SavepointV4ITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    // Written on the default topics, like v1 and v2; a broker of its own so the restores do not meet.
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("sair");

    @Test
    void restoresTheGoldenSavepointOfVersionFour(@TempDir Path dir) throws Exception {
        List<ScalingDecision> after = SavepointITCase.restoresGolden("v4", false, KAFKA.broker(), dir);
        // The windows open at the savepoint (StageWindows' open-reports) carried over: the first round after it
        // is the one right after the savepoint's last.
        assertThat(after.get(0).windowEnd()).isEqualTo(ClosedLoopITCase.EPOCH + (SavepointITCase.GOLDEN_ROUNDS + 1) * 30_000L);
    }

    @Test
    void holdsTheLoadRiseOfItsRounds() throws Exception {
        List<PipelineState> states = LearnedStateReader.read(SavepointITCase.GOLDEN.resolve("v4").toAbsolutePath().toString());
        assertThat(states).hasSize(1);
        LoadRise rise = states.get(0).state().loadRise();
        // Twelve rounds of 30 s: the windows within the span of the next are kept, and the burst moved the load.
        assertThat(rise.recentEnds()).hasSize((int) (LoadRise.SPAN_MS / 30_000));
        assertThat(rise.rise()).isGreaterThan(1.0);
    }
}
