package io.sair.connectors.kafka;

import io.sair.flink.DeadLetter;
import io.sair.flink.RawRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters to {@code sair.deadletter}: the original key and value bytes untouched, and headers
 * saying why ({@code sair.reason}) and where from ({@code sair.source}: topic/partition/offset).
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    public static final String REASON = "sair.reason";
    public static final String SOURCE = "sair.source";

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        RawRecord r = d.raw();
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, d.reason().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE, (r.topic() + "/" + r.partition() + "/" + r.offset()).getBytes(StandardCharsets.UTF_8));
        Long ts = r.timestamp() > 0 ? r.timestamp() : null;
        return new ProducerRecord<>(topic, null, ts, r.key(), r.value(), headers);
    }
}
