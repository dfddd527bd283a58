package io.sair.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The physical bounds on one report, each refusal naming its field. */
class MetricsCheckTest {

    static final long T0 = 1_767_225_600_000L;
    static final PipelineSpec SPEC = new PipelineSpec(null, "imgcls", List.of(StageSpec.of("preprocess", StageKind.CPU),
            StageSpec.of("inference", StageKind.GPU)), 200.0, null, null, null);

    static StageMetrics cpu(Long arrivals, Long completions, Long queue, Double cpuUtil, Double memUtil,
                            List<Double> latencies) {
        return new StageMetrics(1, "imgcls", "preprocess", "preprocess-0", T0, StageKind.CPU, 2, 1000, 1024, null,
                arrivals, completions, queue, cpuUtil, memUtil, null, latencies, null, null, null);
    }

    static StageMetrics ordinary() {
        return cpu(500L, 490L, 10L, 0.6, 0.4, List.of(12.0));
    }

    @Test
    void anOrdinaryReportPasses() {
        assertThat(MetricsCheck.fields(ordinary(), T0)).isEmpty();
        assertThat(MetricsCheck.againstSpec(ordinary(), SPEC)).isEmpty();
    }

    @Test
    void theIssuesReportIsRefusedNamingAField() {
        StageMetrics absurd = cpu(Long.MAX_VALUE, Long.MAX_VALUE, 10L, 10.0, 0.4, List.of(12.0));
        assertThat(MetricsCheck.fields(absurd, T0)).hasValueSatisfying(r -> assertThat(r).startsWith("out of bounds: cpuUtil=10.0"));
        StageMetrics countsOnly = cpu(Long.MAX_VALUE, Long.MAX_VALUE, 10L, 0.5, 0.4, List.of(12.0));
        assertThat(MetricsCheck.fields(countsOnly, T0)).hasValueSatisfying(r -> assertThat(r).startsWith("out of bounds: arrivals="));
    }

    @Test
    void utilisationsAreSharesOfZeroToOne() {
        assertThat(MetricsCheck.fields(cpu(500L, 490L, 10L, 1.0, 1.0, null), T0)).isEmpty();
        assertThat(MetricsCheck.fields(cpu(500L, 490L, 10L, 1.01, 0.4, null), T0)).hasValueSatisfying(
                r -> assertThat(r).contains("cpuUtil"));
        assertThat(MetricsCheck.fields(cpu(500L, 490L, 10L, 0.5, 2.0, null), T0)).hasValueSatisfying(
                r -> assertThat(r).contains("memUtil"));
        StageMetrics gpu = new StageMetrics(1, "imgcls", "inference", "inference-0", T0, StageKind.GPU, 1, 1000, 1024, 0.5,
                null, null, null, null, null, 1.5, null, null, null, null);
        assertThat(MetricsCheck.fields(gpu, T0)).hasValueSatisfying(r -> assertThat(r).contains("gpuUtil"));
    }

    @Test
    void countsAreBoundedByWhatTheStagesPodsCanDoInAReportPeriod() {
        // The spec's default maxReplicas is 8: 8 x 10,000 requests/s x 60 s.
        long bound = 8 * MetricsCheck.MAX_RPS_PER_REPLICA * 60;
        assertThat(MetricsCheck.againstSpec(cpu(bound, bound, 0L, 0.5, 0.4, null), SPEC)).isEmpty();
        assertThat(MetricsCheck.againstSpec(cpu(bound + 1, 0L, 0L, 0.5, 0.4, null), SPEC)).hasValueSatisfying(
                r -> assertThat(r).startsWith("out of bounds: arrivals=" + (bound + 1) + " (at most " + bound));
        assertThat(MetricsCheck.againstSpec(cpu(0L, bound + 1, 0L, 0.5, 0.4, null), SPEC)).hasValueSatisfying(
                r -> assertThat(r).startsWith("out of bounds: completions="));
        assertThat(MetricsCheck.againstSpec(cpu(0L, 0L, 60 * bound + 1, 0.5, 0.4, null), SPEC)).hasValueSatisfying(
                r -> assertThat(r).startsWith("out of bounds: queueDepth="));
    }

    @Test
    void replicasCpuMemoryAndLatenciesAreSane() {
        StageMetrics tooMany = new StageMetrics(1, "imgcls", "preprocess", "p", T0, StageKind.CPU, 1_000_000, 1000, 1024,
                null, 1L, 1L, 0L, 0.5, 0.5, null, null, null, null, null);
        assertThat(MetricsCheck.fields(tooMany, T0)).hasValueSatisfying(r -> assertThat(r).contains("replicas=1000000"));
        assertThat(MetricsCheck.fields(cpu(1L, 1L, 0L, 0.5, 0.5, List.of(12.0, 4e6)), T0)).hasValueSatisfying(
                r -> assertThat(r).startsWith("out of bounds: latencyMs holds 4000000.0"));
    }
}
