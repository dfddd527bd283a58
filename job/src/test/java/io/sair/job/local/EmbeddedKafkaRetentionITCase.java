package io.sair.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The demo, the tests and the benchmarks write records timestamped in the past (their event time starts
 * 2026-01-01). The embedded broker must keep them: under Kafka's default 7-day retention, its first
 * retention pass (30 s after start) deleted them, and a job still reading its backlog then lost a
 * third to half of it without a trace (the ingest benchmark's missing decisions).
 */
class EmbeddedKafkaRetentionITCase {

    static final long PAST = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final int RECORDS = 100;

    @Test
    void recordsTimestampedInThePastOutliveTheFirstRetentionPass() throws Exception {
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, "old");
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>("old", 0, PAST + i * 5_000L, null, new byte[] {(byte) i}));
                }
            }
            // Past the retention pass the broker schedules 30 s after its start.
            long waitMs = Duration.ofSeconds(36).toMillis() - (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(Math.max(0, waitMs));
            assertThat(readAll(kafka.bootstrap())).hasSize(RECORDS);
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "retention-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of("old"));
            while (got.size() < RECORDS && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        return got;
    }
}
