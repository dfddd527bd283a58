package io.sair.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sair.core.Fixtures;
import io.sair.core.model.Allocation;
import io.sair.core.model.Json;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageAggregatorTest {

    private static final long T0 = 1_700_000_000_000L;

    /** What the inference server's exporter knows: everything but the GPU's own view. */
    private static StageMetrics exporter(long ts, String pod, double memUtil) {
        return new StageMetrics(1, "imgcls", "inference", pod, ts, StageKind.GPU, 2, 2000, 4096, 1.0, 500L, 490L, 3L,
                0.3, memUtil, null, List.of(10.0, 20.0), null, null, null);
    }

    /** What the GPU agent publishes: the rate in force and the utilisation of the rate-limited budget, nothing else. */
    private static StageMetrics agent(long ts, String pod, double rate, double gpuUtil) {
        String json = "{\"v\":1,\"pipeline\":\"imgcls\",\"stage\":\"inference\",\"pod\":\"" + pod + "\",\"ts\":" + ts
                + ",\"kind\":\"gpu\",\"gpuRate\":" + rate + ",\"gpuUtil\":" + gpuUtil
                + ",\"launches\":1200,\"blocks\":96000,\"source\":\"gpu-agent\"}";
        return Json.read(json.getBytes(StandardCharsets.UTF_8), StageMetrics.class);
    }

    private static StageWindow fold(List<StageMetrics> reports) {
        StageAccumulator acc = new StageAccumulator();
        for (StageMetrics m : reports) {
            assertThat(MetricsCheck.fields(m, m.ts())).as("valid: %s", m).isEmpty();
            acc = StageAggregator.add(m, acc);
        }
        return StageAggregator.result(acc, T0, T0 + 30_000);
    }

    @Test
    void partialReportsFromTheGpuAgentMergeWithTheExportersInsteadOfDilutingThem() {
        StageWindow w = fold(List.of(exporter(T0 + 5_000, "inf-0", 0.4), agent(T0 + 5_100, "inf-0", 0.5, 0.8),
                exporter(T0 + 10_000, "inf-0", 0.5), agent(T0 + 10_100, "inf-0", 0.5, 0.6)));
        assertThat(w.reports()).isEqualTo(4);
        assertThat(w.gpuUtil()).as("averaged over the agent's reports only").isCloseTo(0.7, within(1e-9));
        assertThat(w.cpuUtil()).as("averaged over the exporter's reports only").isCloseTo(0.3, within(1e-9));
        assertThat(w.allocation()).as("replicas from the exporter, the rate from the agent, though newer")
                .isEqualTo(new Allocation(2, 2000, 4096, 0.5));
        assertThat(w.arrivals()).isEqualTo(1000);
        assertThat(w.queueDepth()).as("the exporter's reading; the agent's newer report has none").isEqualTo(3);
        assertThat(w.queueGrowth()).as("flat readings plus the first period's 500 - 490").isEqualTo(10);
    }

    /** What the lag reader publishes: the consumer group's lag and the topic's growth, under its own pod key. */
    private static StageMetrics lag(long ts, long lag, long arrivals) {
        return new StageMetrics(1, "imgcls", "inference", "kafka:frames/inference", ts, StageKind.GPU, null, null, null,
                null, arrivals, null, lag, null, null, null, null, null, null, null);
    }

    /** What the metrics-API reader publishes for a pod: CPU and memory against its limits, nothing else. */
    private static StageMetrics top(long ts, String pod, double cpuUtil, double memUtil) {
        return new StageMetrics(1, "imgcls", "inference", pod, ts, StageKind.GPU, null, null, null, null, null, null, null,
                cpuUtil, memUtil, null, null, null, null, null);
    }

    @Test
    void lagAndMetricsApiReportsAddTheirFieldsAndLeaveTheExportersAlone() {
        StageWindow exporterOnly = fold(List.of(exporter(T0 + 5_000, "inf-0", 0.4), exporter(T0 + 10_000, "inf-0", 0.5)));
        StageWindow w = fold(List.of(exporter(T0 + 5_000, "inf-0", 0.4), lag(T0 + 5_000, 100, 300),
                top(T0 + 5_000, "inf-0", 0.9, 0.7), exporter(T0 + 10_000, "inf-0", 0.5), lag(T0 + 10_000, 150, 300),
                top(T0 + 10_000, "inf-0", 0.7, 0.6)));
        assertThat(w.allocation()).isEqualTo(exporterOnly.allocation());
        assertThat(w.completions()).isEqualTo(exporterOnly.completions());
        assertThat(w.p99Ms()).isEqualTo(exporterOnly.p99Ms());
        assertThat(w.arrivals()).as("the exporter's and the topic's").isEqualTo(exporterOnly.arrivals() + 600);
        assertThat(w.queueDepth()).as("the pod's queue and the group's lag").isEqualTo(3 + 150);
        // The exporter's queue is flat after its first period's 500 - 490; the lag reader's first report says
        // nothing of what left before it, so its growth is between its readings only, not its 300 arrivals.
        assertThat(w.queueGrowth()).isEqualTo(10 + 50);
        assertThat(w.cpuUtil()).as("the exporter's 0.3s and the API's 0.9 and 0.7").isCloseTo((0.3 + 0.3 + 0.9 + 0.7) / 4,
                within(1e-9));
        assertThat(w.memUtil()).as("the peak of all").isEqualTo(0.7);
    }

    @Test
    void queueGrowthCoversTheWholeWindowNotJustTheSpanBetweenReadings() {
        List<StageMetrics> rs = new java.util.ArrayList<>();
        for (int k = 1; k <= 6; k++) {
            // Each 5 s period: 500 in, 490 out, so the queue grows by 10 a period, 60 over the window.
            rs.add(new StageMetrics(1, "imgcls", "inference", "inf-0", T0 + 5_000L * k, StageKind.GPU, 2, 2000, 4096, 1.0,
                    500L, 490L, 10L * k, 0.3, 0.5, null, List.of(10.0), null, null, null));
        }
        StageWindow w = fold(rs);
        assertThat(w.queueDepth()).isEqualTo(60);
        assertThat(w.queueGrowth()).isEqualTo(w.arrivals() - w.completions()).isEqualTo(60);
    }

    @Test
    void memoryUtilisationIsThePeakOfTheWindow() {
        StageWindow w = fold(List.of(exporter(T0 + 5_000, "inf-0", 0.4), exporter(T0 + 10_000, "inf-1", 1.0),
                exporter(T0 + 15_000, "inf-0", 0.5)));
        assertThat(w.memUtil()).as("an OOM in the window is not averaged away").isEqualTo(1.0);
    }

    @Test
    void mergingTwoPartialAccumulatorsKeepsTheNewestOfEachField() {
        StageAccumulator a = StageAggregator.add(exporter(T0 + 20_000, "inf-0", 0.4), new StageAccumulator());
        StageAccumulator b = StageAggregator.add(agent(T0 + 25_000, "inf-0", 0.3, 0.9), new StageAccumulator());
        StageWindow w = StageAggregator.result(StageAggregator.merge(b, a), T0, T0 + 30_000);
        assertThat(w.allocation()).isEqualTo(new Allocation(2, 2000, 4096, 0.3));
        assertThat(w.gpuUtil()).isCloseTo(0.9, within(1e-9));
        assertThat(w.cpuUtil()).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void aStageWithOnlyPartialReportsIsMissingFromTheContext() {
        StageWindow agentOnly = fold(List.of(agent(T0 + 5_000, "inf-0", 0.5, 0.8)));
        PipelineContext ctx = ContextAssembler.assemble(Fixtures.spec(), T0 + 30_000, Map.of("inference", agentOnly));
        assertThat(ctx.missing()).contains("inference");
        assertThat(ctx.stage("inference")).isEmpty();
    }

    @Test
    void aWindowInWhichNothingFinishedWhileWorkWaitsIsAStallNotZeroLatency() {
        StageWindow pre = new StageWindow("imgcls", "preprocess", StageKind.CPU, T0, T0 + 30_000, 6,
                new Allocation(2, 1000, 1024, 1.0), 300, 0, 300, 300, 1.0, 0.5, 0.0, Double.NaN, Double.NaN, Double.NaN, 0);
        PipelineContext stalled = ContextAssembler.assemble(Fixtures.spec(), T0 + 30_000, Map.of("preprocess", pre));
        assertThat(stalled.p99Ms()).isEqualTo(30_000.0);
        StageWindow idle = new StageWindow("imgcls", "preprocess", StageKind.CPU, T0, T0 + 30_000, 6,
                new Allocation(2, 1000, 1024, 1.0), 0, 0, 0, 0, 0.0, 0.1, 0.0, Double.NaN, Double.NaN, Double.NaN, 0);
        assertThat(ContextAssembler.assemble(Fixtures.spec(), T0 + 30_000, Map.of("preprocess", idle)).p99Ms()).isZero();
    }

    private static StageMetrics counted(String pod, int k, long arrivals) {
        return new StageMetrics(1, "imgcls", "inference", pod, T0 + 5_000L * k, StageKind.GPU, 2, 2000, 4096, 1.0,
                arrivals, arrivals, 3L, 0.3, 0.5, null, List.of(10.0), null, null, null);
    }

    @Test
    void aReportOutOfLineWithItsPodsOthersCountsOnceNotAsAMultiplier() {
        // Within the checks' bounds (4.8 million for 8 replicas), yet 8,000 times the pod's other reports.
        List<StageMetrics> rs = new java.util.ArrayList<>();
        for (int k = 1; k <= 5; k++) {
            rs.add(counted("inf-0", k, 500));
        }
        rs.add(counted("inf-0", 6, 4_000_000));
        StageWindow w = fold(rs);
        assertThat(w.arrivals()).as("capped at 8 x the median of the pod's others").isEqualTo(5 * 500 + 8 * 500);
        assertThat(w.completions()).isEqualTo(5 * 500 + 8 * 500);
    }

    @Test
    void burstsDrainsAndOtherPodsAreNotOutOfLine() {
        List<StageMetrics> burst = new java.util.ArrayList<>();
        List<StageMetrics> drain = new java.util.ArrayList<>();
        for (int k = 1; k <= 6; k++) {
            // A burst that more than triples the load, and a pod idle until its last report drains a backlog.
            burst.add(counted("inf-0", k, k < 5 ? 700 : 2_500));
            drain.add(counted("inf-0", k, k < 6 ? 0 : 30_000));
        }
        assertThat(fold(burst).arrivals()).isEqualTo(4 * 700 + 2 * 2_500);
        assertThat(fold(drain).arrivals()).isEqualTo(30_000);
        // A pod's line is its own: a busy pod beside quiet ones is not capped by theirs.
        List<StageMetrics> pods = new java.util.ArrayList<>();
        for (int k = 1; k <= 6; k++) {
            pods.add(counted("inf-0", k, 10));
            pods.add(counted("inf-1", k, 10_000));
        }
        assertThat(fold(pods).arrivals()).isEqualTo(6 * 10 + 6 * 10_000);
    }
}
