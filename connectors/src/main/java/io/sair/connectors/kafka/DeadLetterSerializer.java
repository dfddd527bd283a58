package io.sair.connectors.kafka;

import io.sair.flink.DeadLetter;
import io.sair.flink.RawHeader;
import io.sair.flink.RawRecord;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

/**
 * Dead letters to {@code sair.deadletter}: the original key, headers and value (the first
 * {@code maxValueBytes} of it), and headers saying why ({@code sair.reason}), where from
 * ({@code sair.source}: topic/partition/offset) and, for a cut value, how large it was
 * ({@code sair.value-bytes}). Every part is bounded, so a dead letter stays far below the producer's
 * and the broker's 1 MiB defaults whatever arrived: a record the producer refused would fail the job.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    public static final String REASON = "sair.reason";
    public static final String SOURCE = "sair.source";
    public static final String VALUE_BYTES = "sair.value-bytes";
    /**
     * The largest value prefix a dead letter may carry: with the bounded key, headers and reason it stays
     * under half of Kafka's default {@code max.request.size} and {@code message.max.bytes} (1 MiB).
     */
    public static final int MAX_VALUE_BYTES = 512 * 1024;
    static final int MAX_REASON_CHARS = 2000;

    private final String topic;
    private final int maxValueBytes;

    public DeadLetterSerializer(String topic, int maxValueBytes) {
        if (maxValueBytes < 1 || maxValueBytes > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("dead letters carry 1.." + MAX_VALUE_BYTES + " bytes of a value, not "
                    + maxValueBytes + " (sair.metrics.max-record-bytes)");
        }
        this.topic = topic;
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        // Bounded again here: a record restored from older state may not have been cut at the source.
        RawRecord r = d.raw().bounded(maxValueBytes);
        RecordHeaders headers = new RecordHeaders();
        for (RawHeader h : r.headers()) {
            headers.add(h.key(), h.value());
        }
        String reason = String.valueOf(d.reason());
        if (reason.length() > MAX_REASON_CHARS) {
            reason = reason.substring(0, MAX_REASON_CHARS) + "...";
        }
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE, (r.topic() + "/" + r.partition() + "/" + r.offset()).getBytes(StandardCharsets.UTF_8));
        if (r.truncated()) {
            headers.add(VALUE_BYTES, Integer.toString(r.receivedValueBytes()).getBytes(StandardCharsets.UTF_8));
        }
        Long ts = r.timestamp() > 0 ? r.timestamp() : null;
        return new ProducerRecord<>(topic, null, ts, r.key(), r.value(), headers);
    }
}
