package io.sair.connectors.feed;

import io.sair.core.model.Json;
import io.sair.core.model.StageMetrics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes reports as JSON to the metrics topic ({@code sair.metrics}), keyed by pipeline like every other
 * reporter's. A failed send is logged and counted, never thrown: a reading lost is one period lost.
 */
public final class KafkaReportSink implements ReportSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaReportSink.class);

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final AtomicLong failed = new AtomicLong();

    public KafkaReportSink(String bootstrapServers, String topic, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.topic = topic;
    }

    @Override
    public void send(StageMetrics report) {
        producer.send(new ProducerRecord<>(topic, report.pipeline(), Json.writeString(report)), (meta, e) -> {
            if (e != null) {
                failed.incrementAndGet();
                LOG.warn("publishing a report of {}/{} to {} failed: {}", report.pipeline(), report.stage(), topic,
                        e.toString());
            }
        });
    }

    /** Sends that failed so far. */
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
