package io.sair.gpuagent;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends records to a Kafka topic; a failed send is logged, never thrown (metrics are best effort). */
public final class KafkaRecordSink implements RecordSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordSink.class);

    private final KafkaProducer<String, String> producer;
    private final String topic;

    public KafkaRecordSink(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sair-gpu-agent");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        this.topic = topic;
    }

    @Override
    public void send(String key, String json) {
        producer.send(new ProducerRecord<>(topic, key, json), (meta, e) -> {
            if (e != null) {
                LOG.warn("publishing to {} failed: {}", topic, e.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
