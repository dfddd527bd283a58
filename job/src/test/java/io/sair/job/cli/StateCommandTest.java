package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sair.core.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./sair state} on the committed golden savepoint, and its one-line answers to bad input. */
class StateCommandTest {

    /** Written by version 0.1.0 after 12 rounds; see src/test/resources/golden-savepoints/README.md. */
    static final Path GOLDEN = Path.of("src/test/resources/golden-savepoints/v1");

    @Test
    void readsTheLearnedStateOfTheGoldenSavepoint() throws Exception {
        CliRun run = CliRun.of("state", "--savepoint", GOLDEN.toString(), "--json", "--top", "0");
        assertThat(run.err()).isEmpty();
        assertThat(run.rc()).isZero();
        JsonNode doc = Json.MAPPER.readTree(run.out());
        assertThat(doc.get("pipelines")).hasSize(1);
        JsonNode p = doc.get("pipelines").get(0);
        assertThat(p.get("pipeline").asText()).isEqualTo("image-classification");
        // The golden savepoint never changes, so neither do these: 7 positive episodes out of 11 rewarded rounds.
        assertThat(p.get("experiences").asInt()).isEqualTo(7);
        assertThat(p.get("topEpisodes")).hasSize(7);
        assertThat(p.get("nextExperienceId").asLong()).isEqualTo(8);
        double previous = Double.MAX_VALUE;
        for (JsonNode e : p.get("topEpisodes")) {
            assertThat(e.get("reward").asDouble()).isPositive().isLessThanOrEqualTo(previous);
            previous = e.get("reward").asDouble();
            assertThat(e.get("action")).hasSize(3);
        }
        assertThat(p.get("frontier")).hasSize(4);
        assertThat(p.get("hypervolume").asDouble()).isBetween(0.0, 1.0);
        JsonNode x = p.get("exploration");
        assertThat(x.get("round").asLong()).isEqualTo(12);
        assertThat(x.get("epsilon").asDouble()).isCloseTo(0.15 * Math.pow(0.95, 12),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(x.get("seed").asLong()).as("from the spec in broadcast state").isEqualTo(42);
        assertThat(p.get("pending").get("windowEnd").asLong()).isEqualTo(p.get("lastWindowEnd").asLong());
    }

    @Test
    void aMissingSavepointIsOneLine() {
        CliRun run = CliRun.of("state", "--savepoint", "/nonexistent/sp-1");
        assertThat(run.rc()).isNotZero();
        assertThat(run.err().strip()).isEqualTo("sair: no savepoint at /nonexistent/sp-1 (no such file or directory)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aDirectoryWithoutMetadataIsNotASavepoint(@TempDir Path dir) {
        CliRun run = CliRun.of("state", "--savepoint", dir.toString());
        assertThat(run.rc()).isNotZero();
        assertThat(run.err().strip()).isEqualTo("sair: " + dir + " is not a savepoint or checkpoint (no _metadata file)");
    }

    @Test
    void aCheckpointDirectoryPointsAtItsNewestCheckpoint(@TempDir Path dir) throws Exception {
        for (String chk : new String[] {"job1/chk-9", "job1/chk-12", "job1/shared"}) {
            Files.createDirectories(dir.resolve(chk));
        }
        Files.writeString(dir.resolve("job1/chk-9/_metadata"), "x");
        Files.writeString(dir.resolve("job1/chk-12/_metadata"), "x");
        CliRun run = CliRun.of("state", "--savepoint", dir.toString());
        assertThat(run.rc()).isNotZero();
        assertThat(run.err().strip()).endsWith("the newest retained checkpoint under it is " + dir.resolve("job1/chk-12"));
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Test
    void aFileThatIsNotMetadataIsRejected(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("notes.txt"), "hello");
        CliRun run = CliRun.of("state", "--savepoint", f.toString());
        assertThat(run.rc()).isNotZero();
        assertThat(run.err().strip()).startsWith("sair: " + f + " is not a savepoint or checkpoint");
    }

    @Test
    void corruptMetadataIsOneLineNotAStackTrace(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("_metadata"), "not a savepoint at all".getBytes(StandardCharsets.UTF_8));
        CliRun run = CliRun.of("state", "--savepoint", dir.toString());
        assertThat(run.rc()).isNotZero();
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).startsWith("sair: " + dir + ": not a readable savepoint or checkpoint (")
                .doesNotContain("Exception");
    }

    @Test
    void aSavepointOfAnotherJobSaysSo(@TempDir Path dir) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSequence(1, Long.MAX_VALUE).uid("numbers")
                .keyBy(i -> i % 4).map(new LastPerKey()).uid("not-sair")
                .sinkTo(new DiscardingSink<>()).uid("discard");
        JobClient job = env.executeAsync("another job");
        String other = null;
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (other == null) {
                try {
                    other = job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL).get();
                } catch (java.util.concurrent.ExecutionException notRunningYet) {
                    if (System.nanoTime() > deadline) {
                        throw notRunningYet;
                    }
                    Thread.sleep(200);
                }
            }
        } finally {
            if (other == null) {
                job.cancel();
            }
        }

        CliRun run = CliRun.of("state", "--savepoint", other);
        assertThat(run.rc()).isNotZero();
        assertThat(run.err().strip()).startsWith("sair: no SAIR controller state in ")
                .endsWith("(no operator with uid 'sair-controller'): a savepoint of another job?");
    }

    /** Some keyed state of some other job. */
    static final class LastPerKey extends RichMapFunction<Long, Long> {
        private transient ValueState<Long> last;

        @Override
        public void open(OpenContext ctx) {
            last = getRuntimeContext().getState(new ValueStateDescriptor<>("last", Types.LONG));
        }

        @Override
        public Long map(Long value) throws Exception {
            last.update(value);
            return value;
        }
    }

    @Test
    void missingOptionOrANegativeTopIsRejected() {
        assertThat(CliRun.of("state").rc()).isNotZero();
        CliRun run = CliRun.of("state", "--savepoint", GOLDEN.toString(), "--top", "-1");
        assertThat(run.rc()).isNotZero();
        assertThat(run.err().strip()).isEqualTo("sair: --top must not be negative");
    }
}
