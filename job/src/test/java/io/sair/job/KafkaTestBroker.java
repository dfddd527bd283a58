package io.sair.job;

import io.sair.job.local.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The embedded broker ({@link EmbeddedKafka}) with small client helpers for tests. */
public final class KafkaTestBroker implements AutoCloseable {

    private final EmbeddedKafka broker;
    private final KafkaProducer<byte[], byte[]> producer;
    /** Sends not yet confirmed: {@link #flush} checks each, so a record the broker refused fails the test there. */
    private final Queue<Future<RecordMetadata>> unconfirmed = new ConcurrentLinkedQueue<>();

    private KafkaTestBroker(EmbeddedKafka broker) {
        this.broker = broker;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(p);
    }

    public static KafkaTestBroker start() throws Exception {
        return new KafkaTestBroker(EmbeddedKafka.start());
    }

    public String bootstrap() {
        return broker.bootstrap();
    }

    public void createTopics(int partitions, String... names) throws Exception {
        broker.createTopics(partitions, names);
    }

    public void send(String topic, String key, byte[] value, long timestamp) {
        unconfirmed.add(producer.send(new ProducerRecord<>(topic, null, timestamp,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)));
    }

    /** To one partition, chosen by the test rather than by the key's hash. */
    public void send(String topic, int partition, String key, byte[] value, long timestamp) {
        unconfirmed.add(producer.send(new ProducerRecord<>(topic, partition, timestamp, key.getBytes(StandardCharsets.UTF_8),
                value)));
    }

    /** Waits until every record sent is written, and fails if one was not (never a silently missing record). */
    public void flush() {
        producer.flush();
        Future<RecordMetadata> f;
        while ((f = unconfirmed.poll()) != null) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a test record was not written to Kafka", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while confirming test records", e);
            }
        }
    }

    /** Reads the topic from the beginning until {@code done} holds for what was read, or the timeout. */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, Duration timeout,
                                                         Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            while (System.nanoTime() < deadline && !done.test(got)) {
                c.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        return got;
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(5));
        broker.close();
    }
}
