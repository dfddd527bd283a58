package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Main keeps the PipelineAutoscaler sync only where execute() waits for the job. */
class SyncPlacementTest {

    @Test
    void aLocalExecutionWaitsForTheJobSoMainSyncs() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        assertThat(SairJobMain.syncsInMain(env.getConfiguration())).isTrue();
    }

    @Test
    void aDetachedSubmissionEndsMainAtOnceSoItDoesNot() {
        Configuration detached = new Configuration();
        detached.set(DeploymentOptions.ATTACHED, false);
        assertThat(SairJobMain.syncsInMain(detached)).isFalse();
        assertThat(SairJobMain.syncsInMain(new Configuration())).as("Flink's default").isFalse();
    }
}
