package io.sair.job.state;

import io.sair.core.model.PipelineSpec;
import io.sair.flink.Specs;
import io.sair.job.SairJob;
import io.sair.job.local.LoopbackOnly;
import io.sair.job.local.ScratchDir;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Reads what the SAIR controller learned from a savepoint or a retained checkpoint with Flink's State
 * Processor API, as a small batch job on a local MiniCluster: the keyed {@code ControllerState} of
 * every pipeline and the specs in the controller's broadcast state.
 */
public final class LearnedStateReader {

    private LearnedStateReader() {
    }

    /** The savepoint is readable but was not written by the SAIR job (no operator with the controller's uid). */
    public static final class NotASairSavepoint extends IllegalArgumentException {
        NotASairSavepoint(String path, Throwable cause) {
            super("no SAIR controller state in " + path + " (no operator with uid '" + SairJob.CONTROLLER_UID
                    + "'): a savepoint of another job?", cause);
        }
    }

    /** Every pipeline of the savepoint at {@code path} (a directory or its {@code _metadata} URI), by name. */
    public static List<PipelineState> read(String path) throws Exception {
        try (ScratchDir scratch = ScratchDir.create("state")) {
            return read(path, LoopbackOnly.apply(scratch.apply(new Configuration())));
        }
    }

    private static List<PipelineState> read(String path, Configuration conf) throws Exception {
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        // As strict as the job: a state type that would need Kryo fails here too instead of reading garbage.
        conf.setString("pipeline.generic-types", "false");
        conf.setString("parallelism.default", "1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // RocksDB reads both canonical savepoints and the job's native (incremental) retained checkpoints.
        SavepointReader savepoint = SavepointReader.read(env, path, new EmbeddedRocksDBStateBackend());
        OperatorIdentifier controller = OperatorIdentifier.forUid(SairJob.CONTROLLER_UID);

        DataStream<PipelineState> learned;
        try {
            learned = savepoint.readKeyedState(controller, new ControllerStateReaderFunction(), Types.STRING,
                    TypeInformation.of(PipelineState.class));
        } catch (IOException e) {
            throw new NotASairSavepoint(path, e);
        }
        DataStream<PipelineState> specs = savepoint
                .readBroadcastState(controller, Specs.DESCRIPTOR.getName(), Types.STRING,
                        TypeInformation.of(PipelineSpec.class))
                .map(kv -> new PipelineState(kv.f0, null, kv.f1))
                .returns(TypeInformation.of(PipelineState.class));

        Map<String, PipelineState> byPipeline = new TreeMap<>();
        try (CloseableIterator<PipelineState> rows = learned.union(specs).executeAndCollect("sair state")) {
            // Layout v1-v5: each parallel instance of the controller kept its own copy of the specs in broadcast state
            // (v6 keeps each in keyed state, read with the learned state, and the broadcast state is empty): merge by name.
            rows.forEachRemaining(r -> byPipeline.merge(r.pipeline(), r, PipelineState::merge));
        }
        return new ArrayList<>(byPipeline.values());
    }
}
