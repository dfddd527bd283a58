package io.sair.sim.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import io.sair.sim.AppProfiles;
import io.sair.core.window.LatencyHistograms;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WindowAggregatorTest {

    private final PipelineSpec spec = AppProfiles.image().spec();

    private StageMetrics m(String stage, StageKind kind, long ts, int replicas, long arrivals, long completions, long queue,
                           double util, List<Double> lat, String hist, List<Double> e2e) {
        return new StageMetrics(1, spec.name(), stage, null, ts, kind, replicas, 2000, 1024,
                kind == StageKind.GPU ? 0.5 : null, arrivals, completions, queue, kind == StageKind.CPU ? util : null, ts % 10_000 == 0 ? 0.25 : 0.5,
                kind == StageKind.GPU ? util : null, lat, hist, e2e, null);
    }

    @Test
    void sumsCountsAveragesUtilisationAndMergesLatencies() {
        Histogram h = LatencyHistograms.empty();
        for (int i = 1; i <= 100; i++) {
            LatencyHistograms.recordMs(h, i);
        }
        List<StageMetrics> rs = new ArrayList<>();
        for (int k = 1; k <= 6; k++) {
            long ts = 1_000_000 + 5_000L * k;
            rs.add(m("preprocess", StageKind.CPU, ts, k < 6 ? 2 : 3, 100, 90, 10L * k, 0.5 + 0.1 * (k % 2), null,
                    LatencyHistograms.toBase64(h), null));
            rs.add(m("inference", StageKind.GPU, ts, 1, 90, 90, 0, 0.4, List.of(5.0, 6.0), null, null));
            rs.add(m("postprocess", StageKind.CPU, ts, 1, 90, 90, 0, 0.2, List.of(2.0), null,
                    k == 6 ? List.of(30.0, 40.0, 500.0) : List.of(30.0)));
        }
        rs.add(m("preprocess", StageKind.CPU, 999_999, 8, 9999, 0, 0, 1, null, null, null)); // outside the window
        PipelineContext ctx = WindowAggregator.context(spec, 1_000_000, 1_030_000, rs);
        assertThat(ctx.complete()).isTrue();
        StageWindow pre = ctx.stage("preprocess").orElseThrow();
        assertThat(pre.reports()).isEqualTo(6);
        assertThat(pre.arrivals()).isEqualTo(600);
        assertThat(pre.completions()).isEqualTo(540);
        assertThat(pre.queueGrowth()).isEqualTo(60); // readings 10 -> 60, plus the first period's 100 - 90
        assertThat(pre.queueDepth()).isEqualTo(60);
        assertThat(pre.allocation()).isEqualTo(new Allocation(3, 2000, 1024, 1.0));
        assertThat(pre.cpuUtil()).isCloseTo(0.55, within(1e-9));
        assertThat(pre.p99Ms()).isCloseTo(99, within(1.0));
        assertThat(pre.memUtil()).isEqualTo(0.5); // the window's peak, not the mean
        StageWindow inf = ctx.stage("inference").orElseThrow();
        assertThat(inf.gpuUtil()).isCloseTo(0.4, within(1e-9));
        assertThat(inf.allocation().rate()).isEqualTo(0.5);
        assertThat(ctx.p99Ms()).isCloseTo(500, within(5.0));
        assertThat(ctx.arrivalRate()).isCloseTo(20.0, within(1e-9));
        List<Allocation> allocs = List.of(pre.allocation(), inf.allocation(), ctx.stage("postprocess").orElseThrow().allocation());
        assertThat(ctx.billableCostPerHour()).isCloseTo(CostModel.billable(spec, allocs), within(1e-12));
        assertThat(ctx.effectiveCostPerHour()).isCloseTo(CostModel.effective(spec, allocs), within(1e-12));
        assertThat(ctx.maxCostPerHour()).isEqualTo(CostModel.maxEffective(spec));
    }

    @Test
    void aStageWithoutReportsIsMissingAndAStuckPipelineReportsTheWindowAsItsP99() {
        List<StageMetrics> rs = List.of(
                m("preprocess", StageKind.CPU, 5_000, 1, 100, 0, 100, 1.0, List.of(), null, null),
                m("postprocess", StageKind.CPU, 5_000, 1, 0, 0, 0, 0.0, List.of(), null, List.of()));
        PipelineContext ctx = WindowAggregator.context(spec, 0, 30_000, rs);
        assertThat(ctx.missing()).containsExactly("inference");
        assertThat(ctx.complete()).isFalse();
        assertThat(ctx.p99Ms()).isEqualTo(30_000);
    }
}
