package io.sair.connectors.otlp;

import io.sair.connectors.kafka.RawRecords;
import io.sair.core.model.Json;
import io.sair.core.model.StageMetrics;
import io.sair.core.window.MetricsCheck;
import io.sair.flink.MetricEnvelope;
import io.sair.flink.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a topic written by the OpenTelemetry Collector's kafkaexporter: one record (an OTLP export request)
 * becomes a MetricEnvelope per report ({@link OtlpMapper}) and one per refused data point, so the gate, the
 * windows and the dead-letter rules treat them as JSON reports. Never throws.
 *
 * <p>Per-series state: cumulative points need the series' previous point. It is kept here, in this reader's
 * {@link OtlpMapper}, not in keyed state: every point of a series must reach one reader, which holds when the
 * series stays on one partition (the kafkaexporter's {@code partition_metrics_by_resource_attributes: true}
 * keys records by resource; delta temporality needs no state at all). Not checkpointed: after a restart each
 * cumulative series' first point is a baseline and counts nothing (one report period lost, never doubled).
 *
 * <p>A report travels on with its own JSON as its raw value (topic, partition, offset and headers of the
 * OTLP record), so a report the gate refuses is dead-lettered as what SAIR made of it; a refused point is
 * dead-lettered with the OTLP record itself, cut to {@code maxRecordBytes}.
 */
public final class OtlpMetricsDeserializer implements KafkaRecordDeserializationSchema<MetricEnvelope> {

    private static final long serialVersionUID = 1L;
    /** Refused points dead-lettered per record, each carrying the record; the rest are summed up in one more. */
    static final int MAX_REFUSED_PER_RECORD = 20;

    private final OtlpFormat format;
    private final OtlpMapping mapping;
    private final int maxRecordBytes;
    private final int maxOtlpBytes;
    private transient OtlpMapper mapper;

    /**
     * @param maxRecordBytes what a dead letter carries of the OTLP record
     * @param maxOtlpBytes larger OTLP records are dead-lettered unparsed
     */
    public OtlpMetricsDeserializer(OtlpFormat format, OtlpMapping mapping, int maxRecordBytes, int maxOtlpBytes) {
        this.format = format;
        this.mapping = mapping;
        this.maxRecordBytes = maxRecordBytes;
        this.maxOtlpBytes = maxOtlpBytes;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        mapper = new OtlpMapper(mapping);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<MetricEnvelope> out) {
        if (mapper == null) {
            mapper = new OtlpMapper(mapping);
        }
        RawRecord raw = RawRecords.of(record, maxRecordBytes);
        byte[] value = record.value();
        if (value == null) {
            out.collect(new MetricEnvelope(null, "empty value (tombstone on the OTLP metrics topic)", raw));
            return;
        }
        if (value.length > maxOtlpBytes) {
            out.collect(new MetricEnvelope(null, "oversized record: " + value.length + " bytes (max " + maxOtlpBytes
                    + " for " + format.wire() + ")", raw));
            return;
        }
        OtlpMapper.Mapped mapped;
        try {
            mapped = mapper.map(format.decode(value));
        } catch (IllegalArgumentException e) {
            out.collect(new MetricEnvelope(null, e.getMessage(), raw));
            return;
        }
        long kafkaTs = record.timestamp();
        for (StageMetrics m : mapped.reports()) {
            byte[] json = Json.write(m);
            RawRecord own = RawRecord.bounded(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(),
                    m.pipeline().getBytes(StandardCharsets.UTF_8), json, raw.headers(), maxRecordBytes);
            out.collect(MetricsCheck.fields(m, kafkaTs > 0 ? kafkaTs : null)
                    .map(reason -> new MetricEnvelope(null, "otlp: " + reason, own))
                    .orElseGet(() -> new MetricEnvelope(m, null, own)));
        }
        List<String> refused = mapped.refused();
        for (int i = 0; i < Math.min(refused.size(), MAX_REFUSED_PER_RECORD); i++) {
            out.collect(new MetricEnvelope(null, "otlp: " + refused.get(i), raw));
        }
        if (refused.size() > MAX_REFUSED_PER_RECORD) {
            out.collect(new MetricEnvelope(null, "otlp: " + (refused.size() - MAX_REFUSED_PER_RECORD)
                    + " more data points of this record refused, the last: " + refused.get(refused.size() - 1), raw));
        }
    }

    @Override
    public TypeInformation<MetricEnvelope> getProducedType() {
        return TypeInformation.of(MetricEnvelope.class);
    }
}
