package io.sair.core.window;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a StageMetrics record may enter the windows; the reason is what the dead-letter
 * topic carries. Two halves: {@link #fields} needs only the record, {@link #againstSpec} the pipeline spec.
 */
public final class MetricsCheck {

    /** Reports timestamped further than this from their Kafka timestamp are refused as absurd. */
    public static final long MAX_SKEW_MS = 24L * 3600 * 1000;
    static final long MIN_TS = 946_684_800_000L; // 2000-01-01
    static final long MAX_TS = 4_102_444_800_000L; // 2100-01-01
    /** The most latency samples one report may carry (a busier period sends a histogram). */
    public static final int MAX_SAMPLES = 100_000;
    static final int MAX_NAME = 253;

    // Physical bounds: what one report of one stage can truthfully say (README, "Bounds on reports").
    /** Requests one replica completes per second at most: 100 microseconds a request, above any model-serving stage. */
    public static final long MAX_RPS_PER_REPLICA = 10_000;
    /** The longest period one report may cover (reporters publish every 5 s by default). */
    public static final long MAX_REPORT_PERIOD_MS = 60_000;
    /** A queue holds at most this long of its stage's highest throughput. */
    static final long MAX_QUEUE_MS = 3_600_000;
    /** Replicas, CPU and memory no Deployment reaches. */
    static final int MAX_REPLICAS = 10_000;
    static final int MAX_CPU_MILLIS = 1_024_000;
    static final int MAX_MEMORY_MB = 16 * 1024 * 1024;
    /** A request latency above an hour is not a latency (the histograms' own ceiling). */
    static final double MAX_LATENCY_MS = LatencyHistograms.HIGHEST_US / 1000.0;

    private MetricsCheck() {
    }

    /** Field checks; {@code referenceTs} is the Kafka record timestamp (or null to skip the skew check). */
    public static Optional<String> fields(StageMetrics m, Long referenceTs) {
        if (m == null) {
            return Optional.of("empty record");
        }
        if (blank(m.pipeline())) {
            return Optional.of("missing field: pipeline");
        }
        if (blank(m.stage())) {
            return Optional.of("missing field: stage");
        }
        if (m.pipeline().length() > MAX_NAME || m.stage().length() > MAX_NAME
                || m.pod() != null && m.pod().length() > MAX_NAME) {
            return Optional.of("name too long: pipeline, stage and pod are at most " + MAX_NAME + " characters");
        }
        if (m.ts() == null) {
            return Optional.of("missing field: ts");
        }
        if (m.ts() < MIN_TS || m.ts() > MAX_TS) {
            return Optional.of("absurd timestamp: ts=" + m.ts() + " is not between 2000 and 2100 (epoch ms)");
        }
        if (referenceTs != null && referenceTs > 0 && Math.abs(m.ts() - referenceTs) > MAX_SKEW_MS) {
            return Optional.of("absurd timestamp: ts=" + m.ts() + " is more than 24 h from the record's Kafka timestamp "
                    + referenceTs);
        }
        if (m.kind() == null) {
            return Optional.of("missing field: kind (cpu|gpu)");
        }
        // replicas may be absent: a partial report (the GPU agent's) carries only what its source knows.
        if (m.replicas() != null && m.replicas() < 0 || neg(m.cpuMillis()) || neg(m.memoryMb()) || neg(m.arrivals()) || neg(m.completions())
                || neg(m.queueDepth())) {
            return Optional.of("negative count: replicas, cpuMillis, memoryMb, arrivals, completions and queueDepth must be >= 0");
        }
        // Utilisations are shares of what the pod may use (GPU: of the rate-limited budget): 0..1.
        for (var f : List.of(new Object[] {"cpuUtil", m.cpuUtil()}, new Object[] {"memUtil", m.memUtil()},
                new Object[] {"gpuUtil", m.gpuUtil()})) {
            Double v = (Double) f[1];
            if (v != null && (!Double.isFinite(v) || v < 0 || v > 1)) {
                return Optional.of("out of bounds: " + f[0] + "=" + v + " (a share: finite, 0..1)");
            }
        }
        if (m.gpuRate() != null && (!Double.isFinite(m.gpuRate()) || m.gpuRate() < 0.01 || m.gpuRate() > 1.0)) {
            return Optional.of("out of bounds: gpuRate=" + m.gpuRate() + " (0.01..1)");
        }
        Optional<String> size = atMost("replicas", m.replicas(), MAX_REPLICAS)
                .or(() -> atMost("cpuMillis", m.cpuMillis(), MAX_CPU_MILLIS))
                .or(() -> atMost("memoryMb", m.memoryMb(), MAX_MEMORY_MB))
                .or(() -> counts(m, MAX_REPLICAS));
        if (size.isPresent()) {
            return size;
        }
        Optional<String> lat = samples("latencyMs", m.latencyMs());
        if (lat.isPresent()) {
            return lat;
        }
        Optional<String> e2e = samples("e2eLatencyMs", m.e2eLatencyMs());
        if (e2e.isPresent()) {
            return e2e;
        }
        try {
            Optional<String> h = histogram("latencyHist", m.latencyHist()).or(() -> histogram("e2eLatencyHist",
                    m.e2eLatencyHist()));
            if (h.isPresent()) {
                return h;
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("bad histogram: " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * The most requests one report of a stage can count: its replicas at their highest throughput over
     * the longest report period. With the spec's {@code maxReplicas} (8 by default) that is 4.8 million.
     */
    public static long maxCountPerReport(int replicas) {
        return Math.max(1, replicas) * MAX_RPS_PER_REPLICA * (MAX_REPORT_PERIOD_MS / 1000);
    }

    /** The deepest queue a stage can report: an hour of its replicas' highest throughput. */
    static long maxQueue(int replicas) {
        return Math.max(1, replicas) * MAX_RPS_PER_REPLICA * (MAX_QUEUE_MS / 1000);
    }

    private static Optional<String> counts(StageMetrics m, int replicas) {
        long max = maxCountPerReport(replicas);
        String why = " (" + Math.max(1, replicas) + " replicas x " + MAX_RPS_PER_REPLICA + " requests/s x "
                + MAX_REPORT_PERIOD_MS / 1000 + " s)";
        return atMost("arrivals", m.arrivals(), max, why)
                .or(() -> atMost("completions", m.completions(), max, why))
                .or(() -> atMost("queueDepth", m.queueDepth(), maxQueue(replicas), " (" + Math.max(1, replicas)
                        + " replicas x " + MAX_RPS_PER_REPLICA + " requests/s x " + MAX_QUEUE_MS / 1000 + " s)"));
    }

    private static Optional<String> atMost(String field, Number v, long max) {
        return atMost(field, v, max, "");
    }

    private static Optional<String> atMost(String field, Number v, long max, String why) {
        if (v != null && v.longValue() > max) {
            return Optional.of("out of bounds: " + field + "=" + v + " (at most " + max + why + ")");
        }
        return Optional.empty();
    }

    private static Optional<String> histogram(String field, String b64) {
        if (b64 == null) {
            return Optional.empty();
        }
        org.HdrHistogram.Histogram h = LatencyHistograms.fromBase64(b64);
        long max = maxCountPerReport(MAX_REPLICAS);
        if (h.getTotalCount() > max) {
            return Optional.of("out of bounds: " + field + " holds " + h.getTotalCount() + " latencies (at most " + max + ")");
        }
        if (h.getTotalCount() > 0 && h.getMaxValue() > LatencyHistograms.HIGHEST_US) {
            return Optional.of("out of bounds: " + field + " holds " + h.getMaxValue() / 1000.0 + " ms (at most "
                    + MAX_LATENCY_MS + " ms)");
        }
        return Optional.empty();
    }

    /** The record must name a stage of its pipeline's spec, of the same kind. */
    public static Optional<String> againstSpec(StageMetrics m, PipelineSpec spec) {
        Optional<StageSpec> s = spec.stage(m.stage());
        if (s.isEmpty()) {
            return Optional.of("unknown stage: '" + m.stage() + "' is not a stage of pipeline '" + spec.name() + "'");
        }
        if (s.get().kind() != m.kind()) {
            return Optional.of("kind mismatch: stage '" + m.stage() + "' is " + s.get().kind().wire() + ", record says "
                    + m.kind().wire());
        }
        // Counts within what the stage's pods can physically report: at most its maxReplicas run.
        return counts(m, s.get().limits().maxReplicas());
    }

    private static Optional<String> samples(String field, List<Double> v) {
        if (v == null) {
            return Optional.empty();
        }
        if (v.size() > MAX_SAMPLES) {
            return Optional.of("too many samples: " + field + " has " + v.size() + " (max " + MAX_SAMPLES + ")");
        }
        for (Double d : v) {
            if (d == null || !Double.isFinite(d) || d < 0) {
                return Optional.of("bad sample: " + field + " holds " + d + " (finite, >= 0)");
            }
            if (d > MAX_LATENCY_MS) {
                return Optional.of("out of bounds: " + field + " holds " + d + " (at most " + MAX_LATENCY_MS + " ms)");
            }
        }
        return Optional.empty();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean neg(Number n) {
        return n != null && n.doubleValue() < 0;
    }
}
