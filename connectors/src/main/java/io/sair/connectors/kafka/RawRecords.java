package io.sair.connectors.kafka;

import io.sair.flink.RawRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Kafka consumer records as {@link RawRecord}s. */
final class RawRecords {

    private RawRecords() {
    }

    static RawRecord of(ConsumerRecord<byte[], byte[]> r) {
        return new RawRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value());
    }
}
