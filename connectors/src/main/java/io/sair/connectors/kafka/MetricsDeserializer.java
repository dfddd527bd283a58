package io.sair.connectors.kafka;

import io.sair.flink.MetricEnvelope;
import io.sair.flink.Parsing;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses {@code sair.metrics} records in the source, so watermarks come from the reports' own
 * timestamps per partition. Never throws: a record that does not parse travels on with its reason.
 */
public final class MetricsDeserializer implements KafkaRecordDeserializationSchema<MetricEnvelope> {

    private final int maxRecordBytes;

    public MetricsDeserializer(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<MetricEnvelope> out) {
        out.collect(Parsing.metrics(RawRecords.of(record, maxRecordBytes), maxRecordBytes));
    }

    @Override
    public TypeInformation<MetricEnvelope> getProducedType() {
        return TypeInformation.of(MetricEnvelope.class);
    }
}
