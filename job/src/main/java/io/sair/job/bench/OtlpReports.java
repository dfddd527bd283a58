package io.sair.job.bench;

import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.sair.connectors.otlp.OtlpFormat;
import io.sair.core.model.StageMetrics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's StageMetrics reports as the Collector's kafkaexporter would write them: one export request per
 * pipeline per period (the batch processor's shape), one resource per pod report, its metrics under the
 * default {@code OtlpMapping} names, counters and histograms cumulative as the SDK exports by default (so the
 * reader's per-series state is part of what is measured). Built with the OTLP protobuf classes the decoder
 * reads and encoded by protobuf itself: binary for otlp_proto, proto3 JSON with enums as numbers (OTLP/JSON)
 * for otlp_json. Stateful: one instance per produced stream, fed each series' reports in time order.
 */
final class OtlpReports {

    /** The SDK's default explicit bounds for http.server.request.duration, in s. */
    private static final List<Double> SECONDS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0);
    /** The SDK's default explicit bounds for a histogram in ms. */
    private static final List<Double> MILLIS = List.of(0.0, 5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0, 500.0, 750.0,
            1000.0, 2500.0, 5000.0, 7500.0, 10000.0);
    private static final JsonFormat.Printer JSON = JsonFormat.printer().printingEnumsAsInts()
            .omittingInsignificantWhitespace();

    private final OtlpFormat format;
    private final long startNs;
    /** Cumulative state per series: counters as long[1], histograms as [count, buckets...] with the sum beside. */
    private final Map<String, long[]> counts = new HashMap<>();
    private final Map<String, double[]> sums = new HashMap<>();

    /** @param seriesStartMs when every series started counting (its start_time_unix_nano) */
    OtlpReports(OtlpFormat format, long seriesStartMs) {
        this.format = format;
        this.startNs = seriesStartMs * 1_000_000;
    }

    /** One export request holding {@code reports} (one pipeline's pods at one instant), encoded. */
    byte[] encode(List<StageMetrics> reports) {
        ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
        for (StageMetrics r : reports) {
            req.addResourceMetrics(resource(r));
        }
        ExportMetricsServiceRequest built = req.build();
        if (format == OtlpFormat.PROTO) {
            return built.toByteArray();
        }
        try {
            return JSON.print(built).getBytes(StandardCharsets.UTF_8);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private ResourceMetrics resource(StageMetrics r) {
        Resource res = Resource.newBuilder()
                .addAttributes(attr("sair.pipeline", r.pipeline()))
                .addAttributes(attr("sair.stage.kind", r.kind().wire()))
                .addAttributes(attr("service.name", r.stage()))
                .addAttributes(attr("k8s.pod.name", r.pod()))
                .build();
        long t = r.ts() * 1_000_000;
        String pod = r.pipeline() + "/" + r.pod() + "/";
        ScopeMetrics.Builder m = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("app"));
        m.addMetrics(counter("sair.arrivals", cumulative(pod + "arrivals", r.arrivals()), t));
        m.addMetrics(counter("sair.completions", cumulative(pod + "completions", r.completions()), t));
        m.addMetrics(histogram("http.server.request.duration", "s", SECONDS, pod + "latency", r.latencyMs(), 1e-3, t));
        if (r.e2eLatencyMs() != null) {
            m.addMetrics(histogram("sair.e2e.duration", "ms", MILLIS, pod + "e2e", r.e2eLatencyMs(), 1, t));
        }
        m.addMetrics(gauge("sair.queue.depth", NumberDataPoint.newBuilder().setAsInt(r.queueDepth()), t));
        m.addMetrics(gauge("k8s.pod.cpu_limit_utilization", NumberDataPoint.newBuilder().setAsDouble(r.cpuUtil()), t));
        m.addMetrics(gauge("k8s.pod.memory_limit_utilization", NumberDataPoint.newBuilder().setAsDouble(r.memUtil()), t));
        m.addMetrics(gauge("k8s.deployment.available", NumberDataPoint.newBuilder().setAsInt(r.replicas()), t));
        m.addMetrics(gauge("k8s.container.cpu_limit", NumberDataPoint.newBuilder().setAsDouble(r.cpuMillis() / 1000.0), t));
        m.addMetrics(gauge("k8s.container.memory_limit",
                NumberDataPoint.newBuilder().setAsInt((long) r.memoryMb() << 20), t));
        return ResourceMetrics.newBuilder().setResource(res).addScopeMetrics(m).build();
    }

    private long cumulative(String series, long delta) {
        return counts.computeIfAbsent(series, k -> new long[1])[0] += delta;
    }

    private Metric counter(String name, long total, long t) {
        return Metric.newBuilder().setName(name).setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(startNs).setTimeUnixNano(t)
                        .setAsInt(total))).build();
    }

    private static Metric gauge(String name, NumberDataPoint.Builder point, long t) {
        return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addDataPoints(point.setTimeUnixNano(t)))
                .build();
    }

    /** The series' cumulative histogram after adding {@code samplesMs} (scaled to the unit by {@code perMs}). */
    private Metric histogram(String name, String unit, List<Double> bounds, String series, List<Double> samplesMs,
                             double perMs, long t) {
        long[] c = counts.computeIfAbsent(series, k -> new long[bounds.size() + 2]);
        double[] sum = sums.computeIfAbsent(series, k -> new double[1]);
        for (double ms : samplesMs) {
            double v = ms * perMs;
            int b = 0;
            while (b < bounds.size() && v > bounds.get(b)) {
                b++; // OTLP buckets are (bound[i-1], bound[i]]
            }
            c[0]++;
            c[b + 1]++;
            sum[0] += v;
        }
        HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().setStartTimeUnixNano(startNs).setTimeUnixNano(t)
                .setCount(c[0]).setSum(sum[0]).addAllExplicitBounds(bounds);
        for (int i = 1; i < c.length; i++) {
            p.addBucketCounts(c[i]);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(p))
                .build();
    }

    private static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
