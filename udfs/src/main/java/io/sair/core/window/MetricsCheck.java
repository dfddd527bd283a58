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
    static final int MAX_SAMPLES = 100_000;
    static final int MAX_NAME = 253;

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
        for (var f : List.of(new Object[] {"cpuUtil", m.cpuUtil()}, new Object[] {"memUtil", m.memUtil()},
                new Object[] {"gpuUtil", m.gpuUtil()}, new Object[] {"gpuRate", m.gpuRate()})) {
            Double v = (Double) f[1];
            if (v != null && (!Double.isFinite(v) || v < 0 || v > 10)) {
                return Optional.of("out of bounds: " + f[0] + "=" + v + " (finite, 0..10)");
            }
        }
        if (m.gpuRate() != null && (m.gpuRate() < 0.01 || m.gpuRate() > 1.0)) {
            return Optional.of("out of bounds: gpuRate=" + m.gpuRate() + " (0.01..1)");
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
            if (m.latencyHist() != null) {
                LatencyHistograms.fromBase64(m.latencyHist());
            }
            if (m.e2eLatencyHist() != null) {
                LatencyHistograms.fromBase64(m.e2eLatencyHist());
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("bad histogram: " + e.getMessage());
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
        return Optional.empty();
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
