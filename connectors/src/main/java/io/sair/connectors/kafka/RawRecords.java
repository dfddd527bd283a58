package io.sair.connectors.kafka;

import io.sair.flink.RawHeader;
import io.sair.flink.RawRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Kafka consumer records as {@link RawRecord}s, bounded as they enter the job. */
public final class RawRecords {

    private RawRecords() {
    }

    /**
     * The record with at most {@code maxValueBytes} of its value: a larger one is dead-lettered unparsed,
     * so the rest is dropped here, before it can reach state, the network or the dead-letter producer.
     */
    public static RawRecord of(ConsumerRecord<byte[], byte[]> r, int maxValueBytes) {
        List<RawHeader> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            headers.add(new RawHeader(h.key(), h.value()));
        }
        return RawRecord.bounded(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), headers,
                maxValueBytes);
    }
}
