package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.connectors.kafka.DeadLetterSerializer;
import io.sair.core.model.Json;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records far over the producer's 1 MiB limit once decompressed, which the broker accepts because
 * their gzip batches are small: a 10 MB spec and a 1 MB metrics record. Each is dead-lettered once,
 * bounded (reason, source, original headers, the first max-record-bytes of the value), and the job
 * goes on deciding without a restart (the test's restart strategy is none: a failure ends the job).
 */
class PoisonRecordITCase {

    static final int MAX_BYTES = 65_536;

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("poison");

    @Test
    void oversizedCompressedRecordsAreDeadLetteredBoundedAndTheJobKeepsDeciding(@TempDir Path dir) throws Exception {
        KafkaTestBroker broker = KAFKA.broker();
        ToyPlant plant = new ToyPlant("imgcls");
        broker.send("poison.pipelines", "imgcls", plant.specJson(), ToyPlant.START);
        broker.flush();

        Configuration conf = JobTestSupport.jobConf(broker.bootstrap(), dir, "poison", "poison");
        conf.set(SairOptions.MAX_RECORD_BYTES, MAX_BYTES);
        TestingSink<ScalingDecision> decisions = new TestingSink<>("poison-decisions");
        JobClient job = JobTestSupport.environment(conf, null, decisions).executeAsync("poison records");

        // A spec for the live pipeline padded to 10 MB, and a metrics record of 1,048,500 bytes.
        String spec = new String(plant.specJson(), StandardCharsets.UTF_8);
        byte[] hugeSpec = ("{\"pad\":\"" + " ".repeat(10_000_000) + "\"," + spec.substring(1)).getBytes(StandardCharsets.UTF_8);
        String report = new String(Json.write(plant.reportsAt(ToyPlant.START).get(0)), StandardCharsets.UTF_8);
        String padded = "{\"pad\":\"\"," + report.substring(1);
        byte[] hugeReport = ("{\"pad\":\"" + "x".repeat(1_048_500 - padded.length()) + "\"," + report.substring(1))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(hugeReport).hasSize(1_048_500);
        try (KafkaProducer<byte[], byte[]> gzip = gzipProducer(broker.bootstrap())) {
            gzip.send(poison("poison.pipelines", hugeSpec, "spec")).get();
            gzip.send(poison("poison.metrics", hugeReport, "metrics")).get();
        }

        int windows = 12;
        for (long t = plant.windowStart(); t < plant.windowStart() + windows * 30_000L; t += ToyPlant.PERIOD_MS) {
            for (StageMetrics m : plant.reportsAt(t)) {
                broker.send("poison.metrics", m.pipeline(), Json.write(m), t);
            }
        }
        broker.flush();

        BadInputITCase.waitFor(() -> decisions.results().size() >= windows - 2, Duration.ofSeconds(90));
        List<ConsumerRecord<byte[], byte[]>> dead = broker.readUntil("poison.deadletter", Duration.ofSeconds(30),
                got -> got.size() >= 2);
        Thread.sleep(2_000);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        JobTestSupport.cancel(job);

        assertThat(decisions.results()).hasSizeGreaterThanOrEqualTo(windows - 2);
        dead = broker.readUntil("poison.deadletter", Duration.ofSeconds(5), got -> false);
        assertThat(dead).hasSize(2);
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            String topic = header(r, DeadLetterSerializer.SOURCE).replaceAll("/.*", "");
            byte[] original = topic.equals("poison.pipelines") ? hugeSpec : hugeReport;
            assertThat(header(r, DeadLetterSerializer.REASON)).startsWith(topic.equals("poison.pipelines")
                    ? "oversized spec: " + hugeSpec.length + " bytes" : "oversized record: " + hugeReport.length + " bytes");
            assertThat(header(r, DeadLetterSerializer.VALUE_BYTES)).isEqualTo(Integer.toString(original.length));
            assertThat(header(r, "origin")).isEqualTo(topic.equals("poison.pipelines") ? "spec" : "metrics");
            assertThat(header(r, "trace-id")).isEqualTo("4bf92f3577b34da6");
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("imgcls");
            assertThat(r.value()).hasSize(MAX_BYTES).isEqualTo(java.util.Arrays.copyOf(original, MAX_BYTES));
        }
        assertThat(dead).extracting(r -> header(r, DeadLetterSerializer.SOURCE).replaceAll("/.*", ""))
                .containsExactlyInAnyOrder("poison.pipelines", "poison.metrics");
    }

    static ProducerRecord<byte[], byte[]> poison(String topic, byte[] value, String origin) {
        RecordHeaders h = new RecordHeaders();
        h.add("trace-id", "4bf92f3577b34da6".getBytes(StandardCharsets.UTF_8));
        h.add("origin", origin.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, ToyPlant.START, "imgcls".getBytes(StandardCharsets.UTF_8), value, h);
    }

    /** A producer as a writer of either topic could use: gzip batches, and a client-side limit raised to 16 MB. */
    static KafkaProducer<byte[], byte[]> gzipProducer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        return new KafkaProducer<>(p);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
