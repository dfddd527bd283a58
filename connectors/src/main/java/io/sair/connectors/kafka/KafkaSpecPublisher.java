package io.sair.connectors.kafka;

import io.sair.connectors.k8s.SpecPublisher;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Specs onto the compacted pipelines topic, keyed by pipeline; each send waits for the broker's ack. */
public final class KafkaSpecPublisher implements SpecPublisher, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public KafkaSpecPublisher(String bootstrap, String topic, Properties extra) {
        Properties p = new Properties();
        p.putAll(extra);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    @Override
    public void publish(String pipeline, byte[] specJsonOrNull) throws Exception {
        producer.send(new ProducerRecord<>(topic, pipeline.getBytes(StandardCharsets.UTF_8), specJsonOrNull))
                .get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
