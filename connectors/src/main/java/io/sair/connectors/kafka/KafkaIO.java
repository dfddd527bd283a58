package io.sair.connectors.kafka;

import io.sair.connectors.actuate.ActuationResult;
import io.sair.core.model.ScalingDecision;
import io.sair.flink.DeadLetter;
import io.sair.flink.MetricEnvelope;
import io.sair.flink.SpecChange;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/** The job's Kafka sources and sinks. */
public final class KafkaIO {

    private KafkaIO() {
    }

    /** Metrics from the committed offsets, or the earliest for a new consumer group. */
    public static KafkaSource<MetricEnvelope> metrics(String bootstrap, String topic, String groupId, int maxRecordBytes,
                                                      Properties extra) {
        return metricsFrom(bootstrap, topic, groupId, maxRecordBytes, extra)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .build();
    }

    /**
     * Metrics from the earliest offsets up to those at start, then the source finishes (a bounded job:
     * benchmarks and backfills replaying a topic).
     */
    public static KafkaSource<MetricEnvelope> metricsUpToNow(String bootstrap, String topic, String groupId,
                                                             int maxRecordBytes) {
        return metricsFrom(bootstrap, topic, groupId, maxRecordBytes, new Properties())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .build();
    }

    /** Specs are always read from the beginning of the compacted topic: every instance needs all of them. */
    public static KafkaSource<SpecChange> specs(String bootstrap, String topic, String groupId, int maxRecordBytes,
                                                Properties extra) {
        return specsFrom(bootstrap, topic, groupId, maxRecordBytes, extra).build();
    }

    /** Specs up to the offsets at start, then the source finishes (see {@link #metricsUpToNow}). */
    public static KafkaSource<SpecChange> specsUpToNow(String bootstrap, String topic, String groupId,
                                                       int maxRecordBytes) {
        return specsFrom(bootstrap, topic, groupId, maxRecordBytes, new Properties())
                .setBounded(OffsetsInitializer.latest())
                .build();
    }

    private static KafkaSourceBuilder<MetricEnvelope> metricsFrom(String bootstrap, String topic, String groupId,
                                                                  int maxRecordBytes, Properties extra) {
        return KafkaSource.<MetricEnvelope>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(groupId)
                .setDeserializer(new MetricsDeserializer(maxRecordBytes))
                .setProperties(extra);
    }

    private static KafkaSourceBuilder<SpecChange> specsFrom(String bootstrap, String topic, String groupId,
                                                            int maxRecordBytes, Properties extra) {
        return KafkaSource.<SpecChange>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(groupId + "-specs")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new SpecDeserializer(maxRecordBytes))
                .setProperties(extra);
    }

    public static KafkaSink<ScalingDecision> decisions(String bootstrap, String topic, DeliveryGuarantee guarantee,
                                                       String transactionalIdPrefix, Properties extra) {
        return sink(bootstrap, new DecisionSerializer(topic), guarantee, transactionalIdPrefix + "-actions", extra);
    }

    /** Actuation results on the actions topic, beside the decisions (header {@code sair.record: actuation}). */
    public static KafkaSink<ActuationResult> actuationResults(String bootstrap, String topic, DeliveryGuarantee guarantee,
                                                              String transactionalIdPrefix, Properties extra) {
        return sink(bootstrap, new ActuationResultSerializer(topic), guarantee, transactionalIdPrefix + "-actuations",
                extra);
    }

    /** Dead letters carrying at most {@code maxValueBytes} of each value (see {@link DeadLetterSerializer}). */
    public static KafkaSink<DeadLetter> deadLetters(String bootstrap, String topic, int maxValueBytes,
                                                    DeliveryGuarantee guarantee, String transactionalIdPrefix,
                                                    Properties extra) {
        return sink(bootstrap, new DeadLetterSerializer(topic, maxValueBytes), guarantee,
                transactionalIdPrefix + "-deadletter", extra);
    }

    /** Each sink has its own transactional id prefix: two sinks sharing one would fence each other's transactions. */
    private static <T> KafkaSink<T> sink(String bootstrap, KafkaRecordSerializationSchema<T> serializer,
                                         DeliveryGuarantee guarantee, String transactionalIdPrefix, Properties extra) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setKafkaProducerConfig(extra)
                .build();
    }
}
