package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.flink.Specs;
import io.sair.job.local.KafkaPlant;
import io.sair.job.state.LearnedStateReader;
import io.sair.job.state.PipelineState;
import io.sair.sim.plant.PipelinePlant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade from state layout v5: the specs each operator kept in broadcast state are moved into keyed state at the
 * restore, and the next savepoint holds them there, with no broadcast copy left in any of the three operators.
 */
class SpecsToKeyedStateITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("sair");

    @Test
    void aV5SavepointsSpecsAreMovedIntoKeyedStateAndNoBroadcastCopyIsWrittenAgain(@TempDir Path dir) throws Exception {
        PipelinePlant image = ClosedLoopITCase.plant("image", "burst", 7);
        Configuration conf = ClosedLoopITCase.plantConf(KAFKA.broker().bootstrap(), dir, "golden", "sair");
        conf.setString("execution.state-recovery.path",
                SavepointITCase.GOLDEN.resolve("v5").toAbsolutePath().toUri().toString());
        String savepoint;
        try (KafkaPlant kp = new KafkaPlant(KAFKA.broker().bootstrap(), "sair.metrics", "sair.actions", List.of(image),
                ClosedLoopITCase.EPOCH)) {
            image.advance(SavepointITCase.GOLDEN_ROUNDS * 30_000L);
            JobClient job = JobTestSupport.environment(conf, null, null).executeAsync("from v5, specs to keyed state");
            List<ScalingDecision> after = SavepointITCase.rounds(kp, SavepointITCase.GOLDEN_ROUNDS + 1,
                    SavepointITCase.GOLDEN_ROUNDS + 3);
            assertThat(after).as("decided on the specs moved from broadcast state").isNotEmpty();
            savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
        }

        List<PipelineState> states = LearnedStateReader.read(savepoint);
        assertThat(states).singleElement().satisfies(s -> assertThat(s.spec()).isNotNull());
        for (String uid : List.of("sair-metrics-gate", "sair-contexts", SairJob.CONTROLLER_UID)) {
            assertThat(broadcastSpecs(savepoint, uid)).as("broadcast specs left in " + uid).isEmpty();
        }
    }

    private static List<String> broadcastSpecs(String savepoint, String uid) throws Exception {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        conf.setString("parallelism.default", "1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        List<String> names = new ArrayList<>();
        try (CloseableIterator<String> rows = SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend())
                .readBroadcastState(OperatorIdentifier.forUid(uid), Specs.DESCRIPTOR.getName(), Types.STRING,
                        TypeInformation.of(PipelineSpec.class))
                .map(kv -> kv.f0).returns(Types.STRING).executeAndCollect("broadcast specs of " + uid)) {
            rows.forEachRemaining(names::add);
        }
        return names;
    }
}
