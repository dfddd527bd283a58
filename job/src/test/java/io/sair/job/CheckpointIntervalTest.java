package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Whose checkpoint interval holds: SAIR's option when given, else Flink's from the cluster, else SAIR's default. */
class CheckpointIntervalTest {

    private static long interval(Configuration cluster, String... args) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(cluster);
        SairJobMain.configure(env, SairJobMain.withJobDefaults(SairJobMain.parseArgs(args)));
        return env.getCheckpointInterval();
    }

    @Test
    void flinksOwnIntervalFromTheClusterHoldsWhenSairsIsNotGiven() {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(45));
        assertThat(interval(cluster)).isEqualTo(45_000);
    }

    @Test
    void sairsOptionWinsWhenGiven() {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(45));
        assertThat(interval(cluster, "--sair.checkpoint.interval", "20 s")).isEqualTo(20_000);
    }

    @Test
    void neitherGivenIsSairsDefault() {
        assertThat(interval(new Configuration())).isEqualTo(SairOptions.CHECKPOINT_INTERVAL.defaultValue().toMillis());
    }
}
