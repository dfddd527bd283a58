package io.sair.job.spec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a checked spec to the pipelines topic, keyed by the pipeline name as the job's
 * {@code SpecDeserializer} expects. Every wait is bounded by one timeout, so an unreachable broker is
 * a clear error in seconds, not a hang.
 */
public final class SpecPublisher {

    private final String bootstrap;
    private final Duration timeout;

    public SpecPublisher(String bootstrap, Duration timeout) {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("--bootstrap-servers is empty");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
        this.bootstrap = bootstrap;
        this.timeout = timeout;
    }

    /** Sends {@code json} under {@code key} to {@code topic}; returns where it landed. */
    public RecordMetadata publish(String topic, String key, byte[] json) {
        requireTopic(topic);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig())) {
            return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), json))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unreachable();
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("publishing to '" + topic + "' at " + bootstrap + " failed: "
                    + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (KafkaException e) {
            throw clientProblem(e);
        }
    }

    /** Asks the broker for the topic first: an unreachable broker and a missing topic get their own message. */
    private void requireTopic(String topic) {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Admin admin;
        try {
            admin = Admin.create(conf);
        } catch (KafkaException e) {
            throw clientProblem(e);
        }
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unreachable();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist at " + bootstrap
                        + " (create it with cleanup.policy=compact, or pass --topic)");
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable();
            }
            throw new IllegalArgumentException("Kafka at " + bootstrap + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka", e);
        } finally {
            // Bounded: closing a client whose broker never answered must not hang the command.
            admin.close(Duration.ofSeconds(1));
        }
    }

    private Properties producerConfig() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        int ms = (int) timeout.toMillis();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "sair-pipelines-publish");
        return p;
    }

    private IllegalArgumentException unreachable() {
        return new IllegalArgumentException("no Kafka broker answered at " + bootstrap + " within "
                + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms"));
    }

    private IllegalArgumentException clientProblem(KafkaException e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return new IllegalArgumentException("cannot talk to Kafka at '" + bootstrap + "': " + c.getMessage(), e);
    }
}
