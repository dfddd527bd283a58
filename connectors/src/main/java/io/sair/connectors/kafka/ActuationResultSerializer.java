package io.sair.connectors.kafka;

import io.sair.connectors.actuate.ActuationResult;
import io.sair.core.model.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Actuation results to {@code sair.actions} next to the decisions, keyed by pipeline (so a pipeline's
 * decisions and results stay in order in one partition), told apart by the header {@code sair.record}.
 */
public final class ActuationResultSerializer implements KafkaRecordSerializationSchema<ActuationResult> {

    public static final String RECORD_HEADER = "sair.record";

    private final String topic;

    public ActuationResultSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ActuationResult r, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(RECORD_HEADER, ActuationResult.RECORD.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, r.windowEnd(), r.pipeline().getBytes(StandardCharsets.UTF_8),
                Json.write(r), headers);
    }
}
