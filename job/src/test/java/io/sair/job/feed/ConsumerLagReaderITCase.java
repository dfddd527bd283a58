package io.sair.job.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.connectors.lag.ConsumerLagReader;
import io.sair.core.model.KafkaInput;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.window.MetricsCheck;
import io.sair.job.KafkaTestBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.sair.core.model.Json;
import io.sair.job.cli.SairCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real consumer group on the embedded broker falls behind; the reader's queue depth is its lag, its arrivals what was produced. */
class ConsumerLagReaderITCase {

    private static final long NOW = 1_800_000_000_000L;
    private static KafkaTestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaTestBroker.start();
        broker.createTopics(2, "frames");
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @Test
    void queueDepthIsTheGroupsLagAndArrivalsAreTheRecordsProduced() throws Exception {
        PipelineSpec spec = new PipelineSpec(null, "imgcls", List.of(
                StageSpec.of("preprocess", StageKind.CPU),
                new StageSpec("inference", StageKind.GPU, null, null, null, null, new KafkaInput("frames", "inf"))),
                200.0, null, null, null);
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        try (Admin admin = Admin.create(ap); KafkaConsumer<byte[], byte[]> group = consumer("inf")) {
            ConsumerLagReader reader = new ConsumerLagReader(admin, () -> List.of(spec),
                    Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), Duration.ofSeconds(10), true);
            group.subscribe(List.of("frames"));

            produce(100);
            long consumed = consumeAndCommit(group, 30);
            List<StageMetrics> first = reader.poll();
            assertThat(first).singleElement().satisfies(m -> {
                assertThat(m.stage()).isEqualTo("inference");
                assertThat(m.pod()).isEqualTo("kafka:inf");
                assertThat(m.queueDepth()).as("the real lag").isEqualTo(100 - consumed);
                assertThat(m.arrivals()).as("the first poll is the baseline").isNull();
                assertThat(MetricsCheck.fields(m, NOW)).isEmpty();
            });

            produce(70);
            long more = consumeAndCommit(group, 20);
            List<StageMetrics> second = reader.poll();
            assertThat(second).singleElement().satisfies(m -> {
                assertThat(m.queueDepth()).as("the real lag").isEqualTo(170 - consumed - more);
                assertThat(m.arrivals()).as("the records produced since the last poll").isEqualTo(70);
                assertThat(m.completions()).isNull();
                assertThat(m.cpuUtil()).isNull();
                assertThat(MetricsCheck.fields(m, NOW)).isEmpty();
            });
            assertThat(reader.poll()).singleElement().satisfies(m -> assertThat(m.arrivals()).isZero());
        }
    }

    @Test
    void aGroupThatNeverCommittedHasTheWholeTopicWaiting() throws Exception {
        broker.createTopics(1, "audio");
        PipelineSpec spec = new PipelineSpec(null, "asr", List.of(
                new StageSpec("decode", StageKind.CPU, null, null, null, null, new KafkaInput("audio", "never"))),
                200.0, null, null, null);
        for (int i = 0; i < 25; i++) {
            broker.send("audio", "k" + i, new byte[] {1}, System.currentTimeMillis());
        }
        broker.flush();
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        try (Admin admin = Admin.create(ap)) {
            List<StageMetrics> got = new ConsumerLagReader(admin, () -> List.of(spec), Clock.systemUTC(),
                    Duration.ofSeconds(10), true).poll();
            assertThat(got).singleElement().satisfies(m -> assertThat(m.queueDepth()).isEqualTo(25));
        }
    }

    @Test
    void theFeedCommandPublishesTheLagToTheMetricsTopic(@TempDir Path dir) throws Exception {
        broker.createTopics(1, "clips", "lag.metrics");
        for (int i = 0; i < 12; i++) {
            broker.send("clips", "k" + i, new byte[] {1}, System.currentTimeMillis());
        }
        broker.flush();
        Path spec = dir.resolve("video.json");
        Files.writeString(spec, "{\"name\":\"video\",\"slaP99Ms\":500,\"stages\":[{\"name\":\"detect\",\"kind\":\"gpu\","
                + "\"input\":{\"topic\":\"clips\",\"group\":\"detectors\"}}]}");

        int rc = SairCli.run("feed", "lag", "-f", spec.toString(), "--bootstrap-servers", broker.bootstrap(),
                "--topic", "lag.metrics", "--polls", "1");

        assertThat(rc).isZero();
        List<ConsumerRecord<byte[], byte[]>> got = broker.readUntil("lag.metrics", Duration.ofSeconds(15), r -> !r.isEmpty());
        assertThat(got).singleElement().satisfies(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("video");
            StageMetrics m = Json.read(r.value(), StageMetrics.class);
            assertThat(m.stage()).isEqualTo("detect");
            assertThat(m.queueDepth()).isEqualTo(12);
            assertThat(MetricsCheck.fields(m, r.timestamp())).isEmpty();
        });
    }

    private static void produce(int n) {
        for (int i = 0; i < n; i++) {
            broker.send("frames", "k" + i, new byte[] {1}, System.currentTimeMillis());
        }
        broker.flush();
    }

    /** Reads exactly {@code n} records (no more) and commits the positions after them, as a slow stage would. */
    private static long consumeAndCommit(KafkaConsumer<byte[], byte[]> c, int n) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        int taken = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (taken < n && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (taken == n) {
                    break;
                }
                taken++;
                commit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
        }
        c.commitSync(commit);
        // Rewind to what was committed, so the records read past it are read again later, as after a restart.
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(c.assignment());
        for (TopicPartition tp : c.assignment()) {
            OffsetAndMetadata o = committed.get(tp);
            if (o == null) {
                c.seekToBeginning(List.of(tp));
            } else {
                c.seek(tp, o.offset());
            }
        }
        return taken;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
