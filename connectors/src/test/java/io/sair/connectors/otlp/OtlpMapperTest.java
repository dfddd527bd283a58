package io.sair.connectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.sair.connectors.otlp.OtelSdkPayloads.Pod;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.window.LatencyHistograms;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The mapping, fed the OpenTelemetry SDK's own OTLP encoding (protobuf and JSON). */
class OtlpMapperTest {

    static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final List<Double> HTTP_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5,
            5.0, 7.5, 10.0);

    final TestClock clock = TestClock.create(Instant.ofEpochMilli(START));

    static Attributes pod(String stage, String pod) {
        return Attributes.of(AttributeKey.stringKey("sair.pipeline"), "imgcls", AttributeKey.stringKey("service.name"),
                stage, AttributeKey.stringKey("k8s.pod.name"), pod);
    }

    static OtlpMapper.Mapped map(OtlpMapper mapper, OtlpFormat format, byte[] bytes) {
        return mapper.map(format.decode(bytes));
    }

    @ParameterizedTest
    @EnumSource(OtlpFormat.class)
    void deltaMetricsOfTwoPodsBecomeOneReportPerPod(OtlpFormat format) {
        try (Pod a = new Pod(clock, pod("preprocess", "preprocess-0"), false, false);
             Pod b = new Pod(clock, pod("preprocess", "preprocess-1"), false, false)) {
            for (Pod p : List.of(a, b)) {
                Meter m = p.meter();
                DoubleHistogram lat = m.histogramBuilder("http.server.request.duration").setUnit("s")
                        .setExplicitBucketBoundariesAdvice(HTTP_BUCKETS).build();
                for (int i = 0; i < 90; i++) {
                    lat.record(0.02);
                }
                for (int i = 0; i < 10; i++) {
                    lat.record(0.3);
                }
                m.counterBuilder("sair.arrivals").build().add(120);
                m.gaugeBuilder("sair.queue.depth").ofLongs().build().set(7);
                m.gaugeBuilder("k8s.pod.cpu_limit_utilization").build().set(0.6);
                m.counterBuilder("jvm.gc.count").build().add(3); // not SAIR's: skipped
            }
            clock.advance(Duration.ofSeconds(5));
            OtlpMapper.Mapped out = map(new OtlpMapper(OtlpMapping.defaults()), format,
                    OtelSdkPayloads.encode(format, a.collect(), b.collect()));

            assertThat(out.refused()).isEmpty();
            assertThat(out.reports()).extracting(StageMetrics::pod).containsExactlyInAnyOrder("preprocess-0", "preprocess-1");
            for (StageMetrics r : out.reports()) {
                assertThat(r.pipeline()).isEqualTo("imgcls");
                assertThat(r.stage()).isEqualTo("preprocess");
                assertThat(r.kind()).isEqualTo(StageKind.CPU);
                assertThat(r.ts()).isEqualTo(START + 5_000);
                assertThat(r.arrivals()).isEqualTo(120);
                assertThat(r.completions()).as("the latency histogram's count").isEqualTo(100);
                assertThat(r.queueDepth()).isEqualTo(7);
                assertThat(r.cpuUtil()).isEqualTo(0.6);
                Histogram h = LatencyHistograms.fromBase64(r.latencyHist());
                assertThat(h.getTotalCount()).isEqualTo(100);
                // 90 in (10, 25] ms and 10 in (250, 500] ms, each at its bucket's middle.
                assertThat(LatencyHistograms.percentileMs(h, 50)).isCloseTo(17.5, within(0.3));
                assertThat(LatencyHistograms.percentileMs(h, 99)).isCloseTo(375, within(5.0));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OtlpFormat.class)
    void cumulativeCountersGiveEachPeriodsDeltaAcrossARestart(OtlpFormat format) {
        OtlpMapper mapper = new OtlpMapper(OtlpMapping.defaults());
        Attributes res = pod("preprocess", "preprocess-0");
        try (Pod p = new Pod(clock, res, true, false)) {
            LongCounter arrivals = p.meter().counterBuilder("sair.arrivals").build();
            arrivals.add(10);
            clock.advance(Duration.ofSeconds(5));
            // Started 5 s ago: all of it is this period's.
            assertThat(arrivals(map(mapper, format, OtelSdkPayloads.encode(format, p.collect())))).containsExactly(10L);
            arrivals.add(5);
            clock.advance(Duration.ofSeconds(5));
            byte[] second = OtelSdkPayloads.encode(format, p.collect());
            assertThat(arrivals(map(mapper, format, second))).containsExactly(5L);
            // The same export again (a retry): refused, not counted twice.
            OtlpMapper.Mapped again = map(mapper, format, second);
            assertThat(again.reports()).isEmpty();
            assertThat(again.refused()).singleElement().asString().contains("not after the last one of its series");
        }
        // The pod restarts: a new counter from 0 with a new start time.
        try (Pod p = new Pod(clock, res, true, false)) {
            p.meter().counterBuilder("sair.arrivals").build().add(3);
            clock.advance(Duration.ofSeconds(5));
            assertThat(arrivals(map(mapper, format, OtelSdkPayloads.encode(format, p.collect())))).containsExactly(3L);
        }
        assertThat(mapper.series()).isEqualTo(1);
    }

    @Test
    void aLongRunningCumulativeCounterFirstSeenIsABaseline() {
        OtlpMapper mapper = new OtlpMapper(OtlpMapping.defaults());
        try (Pod p = new Pod(clock, pod("preprocess", "preprocess-0"), true, false)) {
            LongCounter arrivals = p.meter().counterBuilder("sair.arrivals").build();
            arrivals.add(5000);
            clock.advance(Duration.ofMinutes(10));
            OtlpMapper.Mapped first = map(mapper, OtlpFormat.PROTO, OtelSdkPayloads.encode(OtlpFormat.PROTO, p.collect()));
            assertThat(first.reports()).isEmpty();
            assertThat(first.refused()).isEmpty();
            arrivals.add(7);
            clock.advance(Duration.ofSeconds(5));
            assertThat(arrivals(map(mapper, OtlpFormat.PROTO, OtelSdkPayloads.encode(OtlpFormat.PROTO, p.collect()))))
                    .containsExactly(7L);
        }
    }

    @ParameterizedTest
    @EnumSource(OtlpFormat.class)
    void cumulativeExponentialHistogramsGiveEachPeriodsLatencies(OtlpFormat format) {
        OtlpMapper mapper = new OtlpMapper(OtlpMapping.defaults());
        try (Pod p = new Pod(clock, pod("inference", "inference-0"), true, true)) {
            DoubleHistogram lat = p.meter().histogramBuilder("sair.latency").setUnit("ms").build();
            for (int i = 0; i < 100; i++) {
                lat.record(10);
            }
            clock.advance(Duration.ofSeconds(5));
            StageMetrics first = single(map(mapper, format, OtelSdkPayloads.encode(format, p.collect())));
            for (int i = 0; i < 50; i++) {
                lat.record(200);
            }
            clock.advance(Duration.ofSeconds(5));
            StageMetrics second = single(map(mapper, format, OtelSdkPayloads.encode(format, p.collect())));

            assertThat(first.completions()).isEqualTo(100);
            assertThat(LatencyHistograms.percentileMs(LatencyHistograms.fromBase64(first.latencyHist()), 50))
                    .isCloseTo(10, within(0.3));
            // Only the second period's 50 latencies: the first period's 100 are subtracted, bucket by bucket.
            Histogram h = LatencyHistograms.fromBase64(second.latencyHist());
            assertThat(h.getTotalCount()).isEqualTo(50);
            assertThat(second.completions()).isEqualTo(50);
            assertThat(LatencyHistograms.percentileMs(h, 50)).isCloseTo(200, within(4.0));
        }
    }

    @Test
    void cpuAndMemoryUsageAgainstTheLimitAndReplicasOfADeployment() {
        Attributes deployment = Attributes.of(AttributeKey.stringKey("sair.pipeline"), "imgcls",
                AttributeKey.stringKey("k8s.deployment.name"), "inference", AttributeKey.stringKey("sair.stage.kind"), "gpu");
        try (Pod d = new Pod(clock, deployment, true, false)) {
            Meter m = d.meter();
            m.gaugeBuilder("k8s.deployment.available").ofLongs().build().set(3);
            m.gaugeBuilder("k8s.container.cpu_limit").setUnit("{cpu}").build().set(2.0);
            m.gaugeBuilder("container.cpu.usage").setUnit("{cpu}").build().set(1.0);
            m.gaugeBuilder("k8s.container.memory_limit").setUnit("By").ofLongs().build().set(2L << 30);
            m.gaugeBuilder("container.memory.usage").setUnit("By").ofLongs().build().set(1L << 29);
            clock.advance(Duration.ofSeconds(5));
            StageMetrics r = single(new OtlpMapper(OtlpMapping.defaults()).map(
                    OtlpFormat.PROTO.decode(OtelSdkPayloads.encode(OtlpFormat.PROTO, d.collect()))));
            assertThat(r.stage()).isEqualTo("inference");
            assertThat(r.kind()).isEqualTo(StageKind.GPU);
            assertThat(r.pod()).isNull();
            assertThat(r.replicas()).isEqualTo(3);
            assertThat(r.cpuMillis()).isEqualTo(2000);
            assertThat(r.cpuUtil()).isEqualTo(0.5);
            assertThat(r.memoryMb()).isEqualTo(2048);
            assertThat(r.memUtil()).isEqualTo(0.25);
        }
    }

    @ParameterizedTest
    @EnumSource(OtlpFormat.class)
    void pointsThatCannotBeMappedAreRefusedWithTheirReason(OtlpFormat format) {
        Attributes noPipeline = Attributes.of(AttributeKey.stringKey("service.name"), "preprocess");
        try (Pod lost = new Pod(clock, noPipeline, false, false);
             Pod bad = new Pod(clock, pod("preprocess", "preprocess-0"), false, false)) {
            lost.meter().counterBuilder("sair.arrivals").build().add(4);
            lost.meter().gaugeBuilder("jvm.memory.used").build().set(1e9); // not SAIR's: neither mapped nor refused
            Meter m = bad.meter();
            m.histogramBuilder("sair.latency").setUnit("By").build().record(5);
            m.gaugeBuilder("k8s.pod.cpu_limit_utilization").build().set(1.5);
            m.gaugeBuilder("sair.completions").ofLongs().build().set(9);
            m.gaugeBuilder("container.cpu.usage").build().set(0.5);
            m.gaugeBuilder("sair.queue.depth").ofLongs().build().set(4); // fine: this report goes on
            clock.advance(Duration.ofSeconds(5));
            OtlpMapper.Mapped out = map(new OtlpMapper(OtlpMapping.defaults()), format,
                    OtelSdkPayloads.encode(format, lost.collect(), bad.collect()));

            assertThat(out.refused()).hasSize(5);
            assertThat(out.refused()).anySatisfy(r -> assertThat(r).contains("sair.arrivals").contains("no pipeline"));
            assertThat(out.refused()).anySatisfy(r -> assertThat(r).contains("sair.latency").contains("unit 'By' is not a time"));
            assertThat(out.refused()).anySatisfy(r -> assertThat(r).contains("utilisation 1.5"));
            assertThat(out.refused()).anySatisfy(r -> assertThat(r).contains("sair.completions")
                    .contains("needs a monotonic sum"));
            assertThat(out.refused()).anySatisfy(r -> assertThat(r).contains("no CPU limit"));
            assertThat(out.reports()).singleElement().satisfies(r -> {
                assertThat(r.queueDepth()).isEqualTo(4);
                assertThat(r.cpuUtil()).isNull();
                assertThat(r.completions()).isNull();
            });
        }
    }

    @Test
    void aMappingFromJsonReplacesTheListsItNames() {
        OtlpMapping m = OtlpMapping.fromJson("{\"pipeline\": [\"k8s.namespace.name\"], \"latency\": [\"app.latency\"],"
                + " \"arrivals\": []}");
        assertThat(m.pipeline()).containsExactly("k8s.namespace.name");
        assertThat(m.stage()).containsExactly("sair.stage", "k8s.deployment.name", "service.name");
        assertThat(m.fieldOf("app.latency")).isEqualTo(OtlpMapping.Field.LATENCY);
        assertThat(m.fieldOf("http.server.request.duration")).isNull();
        assertThat(m.fieldOf("sair.arrivals")).isNull();
        assertThatThrownBy(() -> OtlpMapping.fromJson("{\"queueDepth\": [\"x\"], \"replicas\": [\"x\"]}"))
                .hasMessageContaining("metric 'x' is mapped to two fields");
        assertThatThrownBy(() -> OtlpMapping.fromJson("{\"stage\": []}")).hasMessageContaining("stage:");
    }

    private static List<Long> arrivals(OtlpMapper.Mapped m) {
        assertThat(m.refused()).isEmpty();
        return m.reports().stream().map(StageMetrics::arrivals).toList();
    }

    private static StageMetrics single(OtlpMapper.Mapped m) {
        assertThat(m.refused()).isEmpty();
        assertThat(m.reports()).hasSize(1);
        return m.reports().get(0);
    }
}
