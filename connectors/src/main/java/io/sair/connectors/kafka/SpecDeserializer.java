package io.sair.connectors.kafka;

import io.sair.flink.Parsing;
import io.sair.flink.SpecChange;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the compacted {@code sair.pipelines} topic: specs, tombstones, and unusable specs with their reason. */
public final class SpecDeserializer implements KafkaRecordDeserializationSchema<SpecChange> {

    private final int maxRecordBytes;

    public SpecDeserializer(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SpecChange> out) {
        out.collect(Parsing.spec(RawRecords.of(record, maxRecordBytes), maxRecordBytes));
    }

    @Override
    public TypeInformation<SpecChange> getProducedType() {
        return TypeInformation.of(SpecChange.class);
    }
}
