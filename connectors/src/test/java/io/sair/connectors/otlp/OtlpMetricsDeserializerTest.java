package io.sair.connectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.sair.connectors.otlp.OtelSdkPayloads.Pod;
import io.sair.core.model.Json;
import io.sair.core.model.StageMetrics;
import io.sair.flink.MetricEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** One Kafka record of the kafkaexporter in, an envelope per report and per refused point out; never a throw. */
class OtlpMetricsDeserializerTest {

    final TestClock clock = TestClock.create(Instant.ofEpochMilli(OtlpMapperTest.START));

    @Test
    void reportsCarryTheirOwnJsonAndRefusedPointsTheOtlpRecord() {
        byte[] otlp;
        try (Pod ok = new Pod(clock, OtlpMapperTest.pod("preprocess", "preprocess-0"), false, false);
             Pod bad = new Pod(clock, Attributes.of(AttributeKey.stringKey("service.name"), "x"), false, false)) {
            ok.meter().counterBuilder("sair.arrivals").build().add(12);
            bad.meter().counterBuilder("sair.arrivals").build().add(1);
            clock.advance(Duration.ofSeconds(5));
            otlp = OtelSdkPayloads.encode(OtlpFormat.PROTO, ok.collect(), bad.collect());
        }
        List<MetricEnvelope> out = deserialize(OtlpFormat.PROTO, otlp, 65_536);

        assertThat(out).hasSize(2);
        MetricEnvelope report = out.stream().filter(MetricEnvelope::ok).findFirst().orElseThrow();
        assertThat(report.metrics().arrivals()).isEqualTo(12);
        assertThat(Json.read(report.raw().value(), StageMetrics.class)).isEqualTo(report.metrics());
        assertThat(report.raw().keyString()).isEqualTo("imgcls");
        assertThat(report.raw().offset()).isEqualTo(42);
        MetricEnvelope refused = out.stream().filter(e -> !e.ok()).findFirst().orElseThrow();
        assertThat(refused.error()).startsWith("otlp: metric 'sair.arrivals'").contains("no pipeline");
        assertThat(refused.raw().value()).isEqualTo(otlp);
    }

    @Test
    void manyRefusedPointsAreDeadLetteredBoundedAndSummedUp() {
        byte[] otlp;
        try (Pod bad = new Pod(clock, Attributes.of(AttributeKey.stringKey("service.name"), "x"), false, false)) {
            Meter m = bad.meter();
            var c = m.counterBuilder("sair.arrivals").build();
            for (int i = 0; i < 30; i++) {
                c.add(1, Attributes.of(AttributeKey.longKey("partition"), (long) i));
            }
            clock.advance(Duration.ofSeconds(5));
            otlp = OtelSdkPayloads.encode(OtlpFormat.JSON, bad.collect());
        }
        List<MetricEnvelope> out = deserialize(OtlpFormat.JSON, otlp, 65_536);
        assertThat(out).hasSize(OtlpMetricsDeserializer.MAX_REFUSED_PER_RECORD + 1).noneMatch(MetricEnvelope::ok);
        assertThat(out.get(out.size() - 1).error()).contains("10 more data points of this record refused");
    }

    @Test
    void undecodableOversizedAndEmptyRecordsEachBecomeOneReason() {
        byte[] garbage = "{not otlp".getBytes(StandardCharsets.UTF_8);
        assertThat(deserialize(OtlpFormat.PROTO, garbage, 65_536)).singleElement()
                .satisfies(e -> assertThat(e.error()).startsWith("not OTLP metrics (otlp_proto)"));
        assertThat(deserialize(OtlpFormat.JSON, garbage, 65_536)).singleElement()
                .satisfies(e -> assertThat(e.error()).startsWith("not OTLP metrics (otlp_json)"));
        assertThat(deserialize(OtlpFormat.PROTO, new byte[70_000], 65_536)).singleElement().satisfies(e -> {
            assertThat(e.error()).startsWith("oversized record: 70000 bytes");
            assertThat(e.raw().value()).hasSize(1024); // what a dead letter carries: max-record-bytes of it
        });
        assertThat(deserialize(OtlpFormat.PROTO, null, 65_536)).singleElement()
                .satisfies(e -> assertThat(e.error()).startsWith("empty value"));
    }

    private static List<MetricEnvelope> deserialize(OtlpFormat format, byte[] value, int maxOtlpBytes) {
        OtlpMetricsDeserializer d = new OtlpMetricsDeserializer(format, OtlpMapping.defaults(), 1024, maxOtlpBytes);
        d.open(null);
        List<MetricEnvelope> out = new ArrayList<>();
        d.deserialize(new ConsumerRecord<>("otlp", 0, 42, OtlpMapperTest.START, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0, 0, null, value, new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty()),
                new Collector<>() {
                    @Override
                    public void collect(MetricEnvelope e) {
                        out.add(e);
                    }

                    @Override
                    public void close() {
                    }
                });
        return out;
    }
}
