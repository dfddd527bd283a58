package io.sair.connectors.kafka;

import io.sair.core.model.Json;
import io.sair.core.model.ScalingDecision;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Decisions to {@code sair.actions} as JSON, keyed by pipeline, timestamped with their window end. */
public final class DecisionSerializer implements KafkaRecordSerializationSchema<ScalingDecision> {

    private final String topic;

    public DecisionSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ScalingDecision d, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, d.windowEnd(), d.pipeline().getBytes(StandardCharsets.UTF_8),
                Json.write(d));
    }
}
