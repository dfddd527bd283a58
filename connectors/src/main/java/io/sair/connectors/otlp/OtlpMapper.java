package io.sair.connectors.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.sair.connectors.otlp.OtlpMapping.Field;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.window.LatencyHistograms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * One OTLP export request as StageMetrics, by an {@link OtlpMapping}: the data points of one resource
 * (a pod, or a Deployment for the Collector's k8s_cluster receiver) at one instant become one report, so
 * a report is what one exporter said about one pod in one period, as on the JSON path. Points of metrics
 * the mapping does not name are skipped; a point of a named metric that cannot be used is refused with its
 * reason. Cumulative points pass through {@link SeriesDeltas} (this mapper's per-series state).
 */
public final class OtlpMapper {

    /** What one request gave: the reports, and one reason per refused data point. */
    public record Mapped(List<StageMetrics> reports, List<String> refused) {
    }

    private final OtlpMapping mapping;
    private final SeriesDeltas deltas;

    public OtlpMapper(OtlpMapping mapping) {
        this.mapping = mapping;
        this.deltas = new SeriesDeltas(mapping.maxSeries());
    }

    /** Cumulative series remembered now. */
    public int series() {
        return deltas.size();
    }

    public Mapped map(ExportMetricsServiceRequest request) {
        List<StageMetrics> reports = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            mapResource(rm, reports, refused);
        }
        return new Mapped(reports, refused);
    }

    private void mapResource(ResourceMetrics rm, List<StageMetrics> reports, List<String> refused) {
        Map<String, String> attrs = attributes(rm.getResource().getAttributesList());
        String pipeline = first(attrs, mapping.pipeline());
        String stage = first(attrs, mapping.stage());
        String pod = first(attrs, mapping.pod());
        String kindName = first(attrs, mapping.kind());
        StageKind kind = kindOf(kindName == null ? mapping.defaultKind() : kindName);
        String resourceProblem = pipeline == null ? "no pipeline: the resource has none of the attributes " + mapping.pipeline()
                : stage == null ? "no stage: the resource has none of the attributes " + mapping.stage()
                : kind == null ? "bad stage kind '" + kindName + "' (cpu|gpu) in resource attribute " + mapping.kind()
                : null;
        String resourceKey = new TreeMap<>(attrs).toString();
        Map<Long, Report> byTime = new TreeMap<>();
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
            for (Metric metric : sm.getMetricsList()) {
                Field field = mapping.fieldOf(metric.getName());
                if (field == null) {
                    continue; // not one of SAIR's metrics
                }
                String where = "metric '" + metric.getName() + "'" + (pipeline == null ? "" : " of " + pipeline + "/" + stage);
                if (resourceProblem != null) {
                    for (int i = 0; i < points(metric); i++) {
                        refused.add(where + ": " + resourceProblem);
                    }
                    continue;
                }
                MetricContext mc = new MetricContext(metric, field, resourceKey + "|" + sm.getScope().getName() + "|"
                        + metric.getName(), where, refused,
                        t -> byTime.computeIfAbsent(t / 1_000_000, x -> new Report(pipeline, stage, pod, kind, x,
                                mapping.completionsFromLatency())));
                mapMetric(mc);
            }
        }
        for (Report r : byTime.values()) {
            r.build(refused).ifPresent(reports::add);
        }
    }

    /** One mapped metric of one resource while its points are read. */
    private record MetricContext(Metric metric, Field field, String seriesPrefix, String where, List<String> refused,
                                 java.util.function.LongFunction<Report> reportAt) {
        void refuse(String why, long timeNs) {
            refused.add(where + " at " + timeNs / 1_000_000 + " ms: " + why);
        }
    }

    private void mapMetric(MetricContext mc) {
        Metric m = mc.metric();
        switch (mc.field()) {
            case LATENCY, E2E_LATENCY -> {
                double msPer = OtlpHistograms.msPer(m.getUnit());
                if (m.hasHistogram()) {
                    AggregationTemporality t = m.getHistogram().getAggregationTemporality();
                    for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                        if (checkTime(mc, p.getTimeUnixNano()) && checkUnit(mc, msPer, p.getTimeUnixNano())) {
                            explicit(mc, t, p, msPer);
                        }
                    }
                } else if (m.hasExponentialHistogram()) {
                    AggregationTemporality t = m.getExponentialHistogram().getAggregationTemporality();
                    for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
                        if (checkTime(mc, p.getTimeUnixNano()) && checkUnit(mc, msPer, p.getTimeUnixNano())) {
                            exponential(mc, t, p, msPer);
                        }
                    }
                } else {
                    refuseAll(mc, "a latency needs a histogram (explicit or exponential), this is a " + m.getDataCase());
                }
            }
            case ARRIVALS, COMPLETIONS -> {
                if (!m.hasSum() || !m.getSum().getIsMonotonic()) {
                    refuseAll(mc, "a request count needs a monotonic sum (counter), this is "
                            + (m.hasSum() ? "a non-monotonic sum" : "a " + m.getDataCase()));
                    return;
                }
                AggregationTemporality t = m.getSum().getAggregationTemporality();
                for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                    if (checkTime(mc, p.getTimeUnixNano())) {
                        count(mc, t, p);
                    }
                }
            }
            default -> {
                List<NumberDataPoint> points = m.hasGauge() ? m.getGauge().getDataPointsList()
                        : m.hasSum() ? m.getSum().getDataPointsList() : null;
                if (points == null) {
                    refuseAll(mc, "a level needs a gauge or a sum, this is a " + m.getDataCase());
                    return;
                }
                for (NumberDataPoint p : points) {
                    if (checkTime(mc, p.getTimeUnixNano())) {
                        level(mc, p);
                    }
                }
            }
        }
    }

    private void count(MetricContext mc, AggregationTemporality t, NumberDataPoint p) {
        double v = value(p);
        if (!Double.isFinite(v) || v < 0) {
            mc.refuse("count " + v + " is not a finite number >= 0", p.getTimeUnixNano());
            return;
        }
        Double delta = switch (t) {
            case AGGREGATION_TEMPORALITY_DELTA -> v;
            case AGGREGATION_TEMPORALITY_CUMULATIVE -> {
                var step = deltas.delta(series(mc, p.getAttributesList()), p.getStartTimeUnixNano(), p.getTimeUnixNano(),
                        new SeriesDeltas.Number(v));
                if (step.refused() != null) {
                    mc.refuse(step.refused(), p.getTimeUnixNano());
                }
                yield step.delta() == null ? null : step.delta().value();
            }
            default -> {
                mc.refuse("aggregation temporality " + t + " (need delta or cumulative)", p.getTimeUnixNano());
                yield null;
            }
        };
        if (delta != null) {
            Report r = mc.reportAt().apply(p.getTimeUnixNano());
            long n = Math.round(delta);
            if (mc.field() == Field.ARRIVALS) {
                r.arrivals = (r.arrivals == null ? 0 : r.arrivals) + n;
            } else {
                r.completions = (r.completions == null ? 0 : r.completions) + n;
            }
        }
    }

    private void level(MetricContext mc, NumberDataPoint p) {
        double v = value(p);
        if (!Double.isFinite(v) || v < 0) {
            mc.refuse("value " + v + " is not a finite number >= 0", p.getTimeUnixNano());
            return;
        }
        boolean share = mc.field() == Field.CPU_UTILIZATION || mc.field() == Field.MEMORY_UTILIZATION;
        if (share && v > 1) {
            mc.refuse("utilisation " + v + " is not a share of the limit (0..1)", p.getTimeUnixNano());
            return;
        }
        Report r = mc.reportAt().apply(p.getTimeUnixNano());
        switch (mc.field()) {
            case QUEUE_DEPTH -> r.queue = (r.queue == null ? 0 : r.queue) + Math.round(v);
            case CPU_UTILIZATION -> r.cpuUtil = r.cpuUtil == null ? v : Math.max(r.cpuUtil, v);
            case MEMORY_UTILIZATION -> r.memUtil = r.memUtil == null ? v : Math.max(r.memUtil, v);
            case CPU_USAGE -> r.cpuUsage = (r.cpuUsage == null ? 0 : r.cpuUsage) + v;
            case CPU_LIMIT -> r.cpuLimit = (r.cpuLimit == null ? 0 : r.cpuLimit) + v;
            case MEMORY_USAGE -> r.memUsage = (r.memUsage == null ? 0 : r.memUsage) + v;
            case MEMORY_LIMIT -> r.memLimit = (r.memLimit == null ? 0 : r.memLimit) + v;
            case REPLICAS -> r.replicas = (int) Math.min(Integer.MAX_VALUE, Math.max(r.replicas == null ? 0 : r.replicas,
                    Math.round(v)));
            default -> throw new IllegalStateException(mc.field().name());
        }
    }

    private void explicit(MetricContext mc, AggregationTemporality t, HistogramDataPoint p, double msPer) {
        if (p.getBucketCountsCount() == 0) {
            return; // a point with no buckets says no latencies
        }
        if (p.getBucketCountsCount() != p.getExplicitBoundsCount() + 1) {
            mc.refuse(p.getBucketCountsCount() + " bucket counts for " + p.getExplicitBoundsCount()
                    + " bounds (need one more count than bounds)", p.getTimeUnixNano());
            return;
        }
        double[] bounds = p.getExplicitBoundsList().stream().mapToDouble(Double::doubleValue).toArray();
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i]) || i > 0 && bounds[i] <= bounds[i - 1]) {
                mc.refuse("explicit bounds must be finite and increasing", p.getTimeUnixNano());
                return;
            }
        }
        OtlpHistograms.Explicit h = new OtlpHistograms.Explicit(bounds,
                p.getBucketCountsList().stream().mapToLong(Long::longValue).toArray());
        boolean delta = t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        if (!delta) {
            h = cumulative(mc, t, p.getStartTimeUnixNano(), p.getTimeUnixNano(), p.getAttributesList(), h);
            if (h == null) {
                return;
            }
        }
        Report r = mc.reportAt().apply(p.getTimeUnixNano());
        // min and max cover the point's own period only for delta points (a cumulative one's are since its start).
        h.recordInto(r.histogram(mc.field()), msPer, delta && p.hasMin() ? p.getMin() : null,
                delta && p.hasMax() ? p.getMax() : null);
        r.addLatencyCount(mc.field(), java.util.Arrays.stream(h.counts()).sum());
    }

    private void exponential(MetricContext mc, AggregationTemporality t, ExponentialHistogramDataPoint p, double msPer) {
        if (p.hasNegative() && p.getNegative().getBucketCountsList().stream().anyMatch(c -> c > 0)) {
            mc.refuse("negative latencies (the negative buckets hold counts)", p.getTimeUnixNano());
            return;
        }
        if (p.getScale() < -10 || p.getScale() > 20) {
            mc.refuse("exponential scale " + p.getScale() + " (OTLP allows -10..20)", p.getTimeUnixNano());
            return;
        }
        OtlpHistograms.Exponential h = new OtlpHistograms.Exponential(p.getScale(), p.getZeroCount(),
                p.getPositive().getOffset(), p.getPositive().getBucketCountsList().stream().mapToLong(Long::longValue).toArray());
        if (t != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
            h = cumulative(mc, t, p.getStartTimeUnixNano(), p.getTimeUnixNano(), p.getAttributesList(), h);
            if (h == null) {
                return;
            }
        }
        Report r = mc.reportAt().apply(p.getTimeUnixNano());
        h.recordInto(r.histogram(mc.field()), msPer);
        r.addLatencyCount(mc.field(), h.zeroCount() + java.util.Arrays.stream(h.counts()).sum());
    }

    /** The period's delta of a cumulative point; null (and refused where it is an error) when there is none. */
    private <T extends SeriesDeltas.Cumulative<T>> T cumulative(MetricContext mc, AggregationTemporality t, long startNs,
                                                                long timeNs, List<KeyValue> attrs, T value) {
        if (t != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
            mc.refuse("aggregation temporality " + t + " (need delta or cumulative)", timeNs);
            return null;
        }
        var step = deltas.delta(series(mc, attrs), startNs, timeNs, value);
        if (step.refused() != null) {
            mc.refuse(step.refused(), timeNs);
        }
        return step.delta();
    }

    private static boolean checkTime(MetricContext mc, long timeNs) {
        if (timeNs <= 0) {
            mc.refuse("no time_unix_nano", timeNs);
            return false;
        }
        return true;
    }

    private static boolean checkUnit(MetricContext mc, double msPer, long timeNs) {
        if (Double.isNaN(msPer)) {
            mc.refuse("unit '" + mc.metric().getUnit() + "' is not a time (s, ms, us or ns)", timeNs);
            return false;
        }
        return true;
    }

    private static void refuseAll(MetricContext mc, String why) {
        for (int i = 0; i < points(mc.metric()); i++) {
            mc.refused().add(mc.where() + ": " + why);
        }
    }

    private static String series(MetricContext mc, List<KeyValue> pointAttrs) {
        return mc.seriesPrefix() + "|" + new TreeMap<>(attributes(pointAttrs));
    }

    private static int points(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsCount();
            case SUM -> m.getSum().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            default -> 1;
        };
    }

    private static double value(NumberDataPoint p) {
        return switch (p.getValueCase()) {
            case AS_DOUBLE -> p.getAsDouble();
            case AS_INT -> p.getAsInt();
            default -> Double.NaN;
        };
    }

    private static StageKind kindOf(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "cpu" -> StageKind.CPU;
            case "gpu" -> StageKind.GPU;
            default -> null;
        };
    }

    private static String first(Map<String, String> attrs, List<String> keys) {
        for (String k : keys) {
            String v = attrs.get(k);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            AnyValue v = kv.getValue();
            String s = switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> Long.toString(v.getIntValue());
                case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                default -> v.toString().strip();
            };
            m.put(kv.getKey(), s);
        }
        return m;
    }

    /** The fields of one resource's points at one instant, folded into one report. */
    private static final class Report {
        final String pipeline;
        final String stage;
        final String pod;
        final StageKind kind;
        final long ts;
        final boolean completionsFromLatency;
        Long arrivals;
        Long completions;
        Long queue;
        Double cpuUtil;
        Double memUtil;
        Double cpuUsage;
        Double cpuLimit;
        Double memUsage;
        Double memLimit;
        Integer replicas;
        Histogram latency;
        Histogram e2e;
        long latencyCount;
        boolean hasLatency;

        Report(String pipeline, String stage, String pod, StageKind kind, long tsMs, boolean completionsFromLatency) {
            this.pipeline = pipeline;
            this.stage = stage;
            this.pod = pod;
            this.kind = kind;
            this.ts = tsMs;
            this.completionsFromLatency = completionsFromLatency;
        }

        Histogram histogram(Field f) {
            if (f == Field.LATENCY) {
                hasLatency = true;
                return latency == null ? latency = OtlpHistograms.empty() : latency;
            }
            return e2e == null ? e2e = OtlpHistograms.empty() : e2e;
        }

        void addLatencyCount(Field f, long n) {
            if (f == Field.LATENCY) {
                latencyCount += n;
            }
        }

        java.util.Optional<StageMetrics> build(List<String> refused) {
            String at = " of " + pipeline + "/" + stage + " at " + ts + " ms";
            Double cpu = cpuUtil;
            if (cpu == null && cpuUsage != null) {
                if (cpuLimit == null || !(cpuLimit > 0)) {
                    refused.add("CPU usage" + at + ": no CPU limit in the same export to divide it by");
                } else if (cpuUsage / cpuLimit > 1) {
                    refused.add("CPU usage" + at + ": " + cpuUsage + " cores over a limit of " + cpuLimit);
                } else {
                    cpu = cpuUsage / cpuLimit;
                }
            }
            Double mem = memUtil;
            if (mem == null && memUsage != null) {
                if (memLimit == null || !(memLimit > 0)) {
                    refused.add("memory usage" + at + ": no memory limit in the same export to divide it by");
                } else if (memUsage / memLimit > 1) {
                    refused.add("memory usage" + at + ": " + memUsage + " bytes over a limit of " + memLimit);
                } else {
                    mem = memUsage / memLimit;
                }
            }
            Long done = completions;
            if (done == null && hasLatency && completionsFromLatency) {
                done = latencyCount;
            }
            boolean any = arrivals != null || done != null || queue != null || cpu != null || mem != null
                    || replicas != null || latency != null || e2e != null || cpuLimit != null || memLimit != null;
            if (!any) {
                return java.util.Optional.empty();
            }
            Integer cpuMillis = cpuLimit == null ? null : (int) Math.min(Integer.MAX_VALUE, Math.round(cpuLimit * 1000));
            Integer memoryMb = memLimit == null ? null : (int) Math.min(Integer.MAX_VALUE, Math.round(memLimit / (1 << 20)));
            return java.util.Optional.of(new StageMetrics(StageMetrics.VERSION, pipeline, stage, pod, ts, kind, replicas,
                    cpuMillis, memoryMb, null, arrivals, done, queue, cpu, mem, null, null,
                    latency == null || latency.getTotalCount() == 0 ? null : LatencyHistograms.toBase64(latency), null,
                    e2e == null || e2e.getTotalCount() == 0 ? null : LatencyHistograms.toBase64(e2e)));
        }
    }
}
