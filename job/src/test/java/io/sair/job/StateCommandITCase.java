package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.sair.core.model.Json;
import io.sair.core.model.ScalingDecision;
import io.sair.job.cli.CliRun;
import io.sair.job.local.KafkaPlant;
import io.sair.sim.plant.PipelinePlant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sair state} on state the job has just written: an incremental RocksDB (native format) checkpoint
 * of the running job and the savepoint it stops with both show exactly the experiences, the
 * exploration round and the epsilon the job's last decision reported.
 */
class StateCommandITCase {

    static final int ROUNDS = 6;

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("learned");

    @Test
    void stateOfACheckpointAndOfASavepointIsWhatTheJobHeld(@TempDir Path dir, @InjectClusterClient ClusterClient<?> cluster)
            throws Exception {
        PipelinePlant image = ClosedLoopITCase.plant("image", "burst", 7);
        Configuration conf = ClosedLoopITCase.plantConf(KAFKA.broker().bootstrap(), dir, "learned", "learned");
        // No periodic checkpoint: the one triggered below stays the latest (a newer one would subsume it).
        conf.set(SairOptions.CHECKPOINT_INTERVAL, Duration.ofHours(1));
        List<ScalingDecision> decisions;
        CliRun fromCheckpoint;
        String savepoint;
        try (KafkaPlant kp = new KafkaPlant(KAFKA.broker().bootstrap(), "learned.metrics", "learned.actions", List.of(image),
                ClosedLoopITCase.EPOCH)) {
            kp.publishSpecs("learned.pipelines");
            JobClient job = JobTestSupport.environment(conf, null, null).executeAsync("learn, then read");
            decisions = SavepointITCase.rounds(kp, 1, ROUNDS);
            // The plant is in lockstep: every decision is out, so the state is final until the next round.
            long chk = cluster.triggerCheckpoint(job.getJobID(), CheckpointType.CONFIGURED).get();
            Path checkpoint = dir.resolve("checkpoints").resolve(job.getJobID().toString()).resolve("chk-" + chk);
            // Read while the job runs, as an operator inspecting a live job would.
            fromCheckpoint = CliRun.of("state", "--savepoint", checkpoint.toString());
            savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
        }
        ScalingDecision last = decisions.get(decisions.size() - 1);
        assertThat(last.experiences()).as("the run remembered something").isPositive();

        assertThat(fromCheckpoint.err()).isEmpty();
        assertThat(fromCheckpoint.rc()).isZero();
        assertThat(fromCheckpoint.out()).contains("  experiences     " + last.experiences() + " remembered")
                .contains("round " + decisions.size() + ", epsilon");

        CliRun fromSavepoint = CliRun.of("state", "--savepoint", savepoint, "--json");
        assertThat(fromSavepoint.err()).isEmpty();
        assertThat(fromSavepoint.rc()).isZero();
        JsonNode p = Json.MAPPER.readTree(fromSavepoint.out()).get("pipelines").get(0);
        assertThat(p.get("pipeline").asText()).isEqualTo(image.spec().name());
        assertThat(p.get("experiences").asInt()).isEqualTo(last.experiences());
        assertThat(p.get("exploration").get("round").asLong()).isEqualTo(decisions.size());
        // The decision reports the epsilon it was taken with; the state holds the next round's.
        assertThat(p.get("exploration").get("epsilon").asDouble()).isCloseTo(last.epsilon() * 0.95, within(1e-9));
        assertThat(p.get("pending").get("decisionId").asText()).isEqualTo(last.decisionId());
    }
}
