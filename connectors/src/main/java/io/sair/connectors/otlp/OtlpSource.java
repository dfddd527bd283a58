package io.sair.connectors.otlp;

import io.sair.flink.MetricEnvelope;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The metrics source over a topic of the Collector's kafkaexporter. */
public final class OtlpSource {

    private OtlpSource() {
    }

    /** From the committed offsets, or the earliest for a new consumer group (as the JSON metrics source). */
    public static KafkaSource<MetricEnvelope> metrics(String bootstrap, String topic, String groupId, OtlpFormat format,
                                                      OtlpMapping mapping, int maxRecordBytes, int maxOtlpBytes,
                                                      Properties extra) {
        return KafkaSource.<MetricEnvelope>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(groupId)
                .setDeserializer(new OtlpMetricsDeserializer(format, mapping, maxRecordBytes, maxOtlpBytes))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setProperties(extra)
                .build();
    }
}
