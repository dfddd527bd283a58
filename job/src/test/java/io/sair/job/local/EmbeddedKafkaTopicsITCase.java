package io.sair.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A topic is writable the moment {@code createTopics} returns. Before, the broker's replica manager took
 * the partition up a moment after the topic was in its metadata, and an idempotent producer writing in that
 * moment could lose its first records for good (KAFKA-14359: the first request refused, the second
 * appended, every retry of the first out of sequence until it expired), which stalled a backlog test.
 */
class EmbeddedKafkaTopicsITCase {

    static final int TOPICS = 50;

    @Test
    void aCreatedTopicTakesTheFirstWriteWithoutARetry() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
            // No retry: a write refused because the leader is not there yet fails here instead of being hidden.
            p.put(ProducerConfig.RETRIES_CONFIG, 0);
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            List<String> refused = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < TOPICS; i++) {
                    String topic = "fresh-" + i;
                    kafka.createTopics(2, topic);
                    List<Future<RecordMetadata>> sent = List.of(
                            producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {1})),
                            producer.send(new ProducerRecord<>(topic, 1, null, new byte[] {2})));
                    for (Future<RecordMetadata> f : sent) {
                        try {
                            f.get();
                        } catch (ExecutionException e) {
                            refused.add(topic + ": " + e.getCause());
                        }
                    }
                }
            }
            assertThat(refused).isEmpty();
        }
    }
}
