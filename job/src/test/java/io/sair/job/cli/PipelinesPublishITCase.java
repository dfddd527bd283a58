package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.flink.Parsing;
import io.sair.flink.RawRecord;
import io.sair.flink.SpecChange;
import io.sair.job.KafkaTestBroker;
import io.sair.job.spec.SpecFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ./sair pipelines publish} against a real broker: the record is what the job's spec reader expects. */
class PipelinesPublishITCase {

    static KafkaTestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaTestBroker.start();
        broker.createTopics(1, "sair.pipelines", "other.pipelines");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void publishesEveryExampleKeyedByPipelineAsTheJobReadsIt() {
        List<String> examples = List.of("image-classification", "nlp-analysis", "text-generation", "video-analysis");
        for (String name : examples) {
            CliRun run = CliRun.of("pipelines", "publish", "-f", "src/main/resources/examples/" + name + ".yaml",
                    "--bootstrap-servers", broker.bootstrap());
            assertThat(run.err()).isEmpty();
            assertThat(run.rc()).isZero();
            assertThat(run.out()).startsWith("published " + name + ": ").contains("to sair.pipelines at ");
        }
        List<ConsumerRecord<byte[], byte[]>> got = broker.readUntil("sair.pipelines", Duration.ofSeconds(20),
                r -> r.size() >= examples.size());
        assertThat(got).hasSize(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = got.get(i);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(examples.get(i));
            // Through the job's own reader of the pipelines topic: a usable spec, equal to the file's.
            SpecChange c = Parsing.spec(new RawRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(),
                    r.value()), 65_536);
            assertThat(c.error()).isNull();
            assertThat(c.spec()).isEqualTo(SpecFiles.load(Path.of("src/main/resources/examples/" + examples.get(i)
                    + ".yaml"), 65_536).spec());
        }
    }

    @Test
    void anotherTopicCanBeNamedAndAMissingOneIsOneLine() {
        CliRun ok = CliRun.of("pipelines", "publish", "-f", PipelinesCommandTest.EXAMPLE, "--bootstrap-servers",
                broker.bootstrap(), "--topic", "other.pipelines");
        assertThat(ok.rc()).isZero();
        assertThat(broker.readUntil("other.pipelines", Duration.ofSeconds(20), r -> !r.isEmpty())).hasSize(1);

        CliRun missing = CliRun.of("pipelines", "publish", "-f", PipelinesCommandTest.EXAMPLE, "--bootstrap-servers",
                broker.bootstrap(), "--topic", "no.such.topic", "--timeout", "5");
        assertThat(missing.rc()).isNotZero();
        assertThat(missing.err().strip()).isEqualTo("sair: topic 'no.such.topic' does not exist at " + broker.bootstrap()
                + " (create it with cleanup.policy=compact, or pass --topic)");
    }
}
