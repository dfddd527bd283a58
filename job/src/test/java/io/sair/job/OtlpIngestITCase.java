package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongGauge;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.sair.connectors.kafka.DeadLetterSerializer;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP metrics made by the OpenTelemetry Java SDK (cumulative counters and histograms from the pods, the
 * k8s_cluster receiver's Deployment gauges), encoded by its OTLP exporter as the Collector's kafkaexporter
 * writes them, reach the job through the broker with sair.metrics.format otlp_proto or otlp_json and
 * become contexts and decisions; unmappable points and undecodable records are dead-lettered with reasons.
 */
class OtlpIngestITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("otlp_proto", "otlp_json");

    static final int WINDOWS = 10;

    @ParameterizedTest
    @ValueSource(strings = {"otlp_proto", "otlp_json"})
    void otlpFromTheSdkBecomesDecisionsAndUnmappablePointsDeadLetters(String format, @TempDir Path dir) throws Exception {
        String prefix = format;
        ToyPlant plant = new ToyPlant("imgcls");
        KAFKA.broker().send(prefix + ".pipelines", "imgcls", plant.specJson(), ToyPlant.START);
        KAFKA.broker().flush();

        var conf = JobTestSupport.jobConf(KAFKA.broker().bootstrap(), dir, "otlp-" + format, prefix);
        conf.set(SairOptions.METRICS_FORMAT, format);
        TestingSink<PipelineContext> contexts = new TestingSink<>("otlp-contexts-" + format);
        TestingSink<ScalingDecision> decisions = new TestingSink<>("otlp-decisions-" + format);
        JobClient job = JobTestSupport.environment(conf, contexts, decisions).executeAsync("otlp " + format);

        // The first collection is at the pipeline's first window: each window then holds six periods of every source.
        TestClock clock = TestClock.create(Instant.ofEpochMilli(plant.windowStart() - ToyPlant.PERIOD_MS));
        List<Instrumented> sources = new ArrayList<>();
        for (StageSpec s : plant.spec.stages()) {
            sources.add(new Instrumented(clock, s, plant.spec.stages().indexOf(s) == plant.spec.stages().size() - 1));
        }
        // A pod whose resource names no pipeline: its points are refused, the rest of the export is used.
        InMemoryMetricReader lostReader = InMemoryMetricReader.builder()
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative()).build();
        SdkMeterProvider lost = SdkMeterProvider.builder().setClock(clock).registerMetricReader(lostReader)
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "stray"))).build();
        LongCounter lostArrivals = lost.get("app").counterBuilder("sair.arrivals").build();
        int expectedDead = 0;
        for (long t = plant.windowStart(); t < plant.windowStart() + WINDOWS * 30_000L; t += ToyPlant.PERIOD_MS) {
            sources.forEach(Instrumented::serveOnePeriod);
            lostArrivals.add(50);
            clock.advance(Duration.ofMillis(ToyPlant.PERIOD_MS));
            List<MetricData> export = new ArrayList<>();
            for (Instrumented i : sources) {
                export.addAll(i.collect());
            }
            export.addAll(lostReader.collectAllMetrics());
            expectedDead += 1;
            long ts = t;
            KAFKA.broker().send(prefix + ".metrics", 0, "imgcls", encode(format, export), ts);
            KAFKA.broker().send(prefix + ".metrics", 0, "imgcls", "not otlp".getBytes(StandardCharsets.UTF_8), ts);
            expectedDead += 1;
        }
        KAFKA.broker().flush();
        int dead = expectedDead;

        List<ConsumerRecord<byte[], byte[]>> letters = KAFKA.broker().readUntil(prefix + ".deadletter",
                Duration.ofSeconds(90), got -> got.size() >= dead);
        BadInputITCase.waitFor(() -> decisions.results().size() >= WINDOWS - 2, Duration.ofSeconds(60));
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        JobTestSupport.cancel(job);
        sources.forEach(Instrumented::close);
        lost.close();

        assertThat(letters).hasSize(dead);
        List<String> reasons = letters.stream()
                .map(r -> new String(r.headers().lastHeader(DeadLetterSerializer.REASON).value(), StandardCharsets.UTF_8))
                .toList();
        assertThat(reasons).filteredOn(r -> r.startsWith("otlp: metric 'sair.arrivals'") && r.contains("no pipeline"))
                .hasSize(dead / 2);
        assertThat(reasons).filteredOn(r -> r.startsWith("not OTLP metrics (" + format + ")")).hasSize(dead / 2);

        List<PipelineContext> complete = contexts.results().stream().filter(PipelineContext::complete).toList();
        assertThat(complete).hasSizeGreaterThanOrEqualTo(WINDOWS - 2);
        for (PipelineContext c : complete) {
            // Two reports per stage per period (the pod's, the Deployment's), six periods a window; the first
            // cumulative points count whole (their series started within the period), later ones their delta.
            assertThat(c.stages()).allSatisfy(w -> {
                assertThat(w.reports()).isEqualTo(12);
                assertThat(w.arrivals()).isEqualTo(6 * 50);
                assertThat(w.allocation().replicas()).isEqualTo(2);
                assertThat(w.allocation().cpuMillis()).isEqualTo(1000);
                assertThat(w.p99Ms()).isBetween(100.0, 200.0);
            });
            assertThat(c.p99Ms()).as("end-to-end p99 from sair.e2e.duration").isBetween(300.0, 500.0);
        }
        assertThat(decisions.results()).isNotEmpty().extracting(ScalingDecision::pipeline).containsOnly("imgcls");
    }

    static byte[] encode(String format, List<MetricData> metrics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MetricsRequestMarshaler m = MetricsRequestMarshaler.create(metrics);
            if (format.equals("otlp_proto")) {
                m.writeBinaryTo(out);
            } else {
                m.writeJsonTo(out);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * One stage as the Collector sees it: its pod's SDK (cumulative, as the SDK's default) and the
     * k8s_cluster receiver's Deployment gauges.
     */
    static final class Instrumented implements AutoCloseable {
        final SdkMeterProvider pod;
        final SdkMeterProvider deployment;
        final InMemoryMetricReader podReader = InMemoryMetricReader.builder()
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative()).build();
        final InMemoryMetricReader deploymentReader = InMemoryMetricReader.create();
        final DoubleHistogram latency;
        final DoubleHistogram e2e;
        final LongCounter arrivals;
        final LongGauge queue;
        final DoubleGauge cpu;

        Instrumented(TestClock clock, StageSpec stage, boolean last) {
            String name = stage.name();
            String kind = stage.kind().wire();
            AttributesBuilder podAttrs = Attributes.builder().put("sair.pipeline", "imgcls").put("sair.stage.kind", kind)
                    .put("service.name", name).put("k8s.pod.name", name + "-0");
            AttributesBuilder depAttrs = Attributes.builder().put("sair.pipeline", "imgcls").put("sair.stage.kind", kind)
                    .put("k8s.deployment.name", name);
            pod = SdkMeterProvider.builder().setClock(clock).setResource(Resource.create(podAttrs.build()))
                    .registerMetricReader(podReader).build();
            deployment = SdkMeterProvider.builder().setClock(clock).setResource(Resource.create(depAttrs.build()))
                    .registerMetricReader(deploymentReader).build();
            Meter m = pod.get("app");
            latency = m.histogramBuilder("http.server.request.duration").setUnit("s").setExplicitBucketBoundariesAdvice(
                    List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)).build();
            e2e = last ? m.histogramBuilder("sair.e2e.duration").setUnit("ms").build() : null;
            arrivals = m.counterBuilder("sair.arrivals").build();
            queue = m.gaugeBuilder("sair.queue.depth").ofLongs().build();
            cpu = m.gaugeBuilder("k8s.pod.cpu_limit_utilization").build();
            Meter k8s = deployment.get("k8s_cluster");
            k8s.gaugeBuilder("k8s.deployment.available").ofLongs().build().set(2);
            k8s.gaugeBuilder("k8s.container.cpu_limit").build().set(1.0);
            k8s.gaugeBuilder("k8s.container.memory_limit").ofLongs().build().set(1L << 30);
        }

        /** Fifty requests of 150 ms (400 ms end to end), a queue of 4, CPU at 60 %. */
        void serveOnePeriod() {
            for (int i = 0; i < 50; i++) {
                latency.record(0.15);
                if (e2e != null) {
                    e2e.record(400);
                }
            }
            arrivals.add(50);
            queue.set(4);
            cpu.set(0.6);
        }

        List<MetricData> collect() {
            List<MetricData> all = new ArrayList<>(podReader.collectAllMetrics());
            all.addAll(deploymentReader.collectAllMetrics());
            return all;
        }

        @Override
        public void close() {
            pod.close();
            deployment.close();
        }
    }
}
