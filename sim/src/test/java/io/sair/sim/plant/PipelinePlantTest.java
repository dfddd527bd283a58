package io.sair.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageTarget;
import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.TestPipelines;
import io.sair.sim.TestingWorkload;
import io.sair.sim.workload.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelinePlantTest {

    private static StageTarget target(String stage, StageKind kind, Allocation from, Allocation to) {
        return StageTarget.of(stage, kind, from, to);
    }

    @Test
    void newReplicasTakeWorkOnlyAfterTheStartupDelay() {
        Allocation a = new Allocation(1, 1000, 1024, 1.0);
        PipelineSpec spec = TestPipelines.single("s", StageKind.CPU, a, 1e9);
        StageModel m = StageModel.cpu("s", 10, 0, 1.0, 1, 0, 0, 0, 20_000);
        PipelinePlant plant = new PipelinePlant(spec, List.of(m), TestingWorkload.every(50, 10_000), PlantOptions.defaults());
        plant.advance(10_000);
        plant.apply(List.of(target("s", StageKind.CPU, a, a.withReplicas(3))));
        assertThat(plant.pods(0)).isEqualTo(3);
        plant.advance(29_999);
        assertThat(plant.readyPods(0)).isEqualTo(1);
        plant.advance(30_001);
        assertThat(plant.readyPods(0)).isEqualTo(3);
    }

    @Test
    void goingOverTheMemoryLimitKillsTheReplicaAndRequeuesItsWork() {
        // Each request holds 300 MB on a 256 MB base with a 512 MB limit: every start is an OOM until the limit grows.
        Allocation a = new Allocation(1, 1000, 512, 1.0);
        PipelineSpec spec = TestPipelines.single("s", StageKind.CPU, a, 1e9);
        StageModel m = StageModel.cpu("s", 10, 0, 1.0, 1, 256, 300, 0, 5_000);
        PipelinePlant plant = new PipelinePlant(spec, List.of(m), TestingWorkload.every(100, 20), PlantOptions.defaults());
        plant.advance(1_000);
        assertThat(plant.oomKills(0)).isEqualTo(1);
        assertThat(plant.readyPods(0)).isZero();
        assertThat(plant.queueDepth(0)).isGreaterThan(0);
        plant.apply(List.of(target("s", StageKind.CPU, a, a.withMemoryMb(1024))));
        plant.advance(60_000);
        assertThat(plant.finished()).isTrue();
        // Requeued, never lost: all 20 complete (none hit the retry limit because the first kill happened once).
        assertThat(plant.totals().completed() + plant.totals().failed()).isEqualTo(20);
        assertThat(plant.totals().completed()).isEqualTo(20);
    }

    @Test
    void aRequestKilledTooOftenIsDroppedAsFailed() {
        Allocation a = new Allocation(1, 1000, 512, 1.0);
        PipelineSpec spec = TestPipelines.single("s", StageKind.CPU, a, 1e9);
        StageModel m = StageModel.cpu("s", 10, 0, 1.0, 1, 256, 300, 0, 1_000);
        PipelinePlant plant = new PipelinePlant(spec, List.of(m), TestingWorkload.every(100, 1), PlantOptions.defaults());
        plant.advance(60_000);
        assertThat(plant.finished()).isTrue();
        assertThat(plant.totals().failed()).isEqualTo(1);
        assertThat(plant.oomKills(0)).isEqualTo(PlantOptions.defaults().maxRetries() + 1);
    }

    @Test
    void aRateChangeActsAtOnceOnWorkInService() {
        Allocation a = new Allocation(1, 1000, 4096, 1.0);
        PipelineSpec spec = TestPipelines.single("g", StageKind.GPU, a, 1e9);
        StageModel m = new StageModel("g", StageKind.GPU, 0, 1000, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 30_000);
        PipelinePlant plant = new PipelinePlant(spec, List.of(m), TestingWorkload.of(new double[] {0}, new double[] {1}),
                PlantOptions.defaults());
        plant.advance(500); // half done at rate 1.0
        plant.apply(List.of(target("g", StageKind.GPU, a, a.withRate(0.5))));
        plant.advance(1_400);
        assertThat(plant.finished()).isFalse();
        plant.advance(1_600);
        assertThat(plant.finished()).isTrue();
        // 500 ms at full rate + the other half at half rate = 1500 ms.
        assertThat(plant.totals().e2eMicros().getMean() / 1000).isCloseTo(1500, within(2.0));
    }

    @Test
    void aResizeRollsThePodsWithoutLosingCapacity() {
        Allocation a = new Allocation(2, 1000, 1024, 1.0);
        PipelineSpec spec = TestPipelines.single("s", StageKind.CPU, a, 1e9);
        StageModel m = StageModel.cpu("s", 10, 0, 1.0, 1, 0, 0, 0, 10_000);
        PipelinePlant plant = new PipelinePlant(spec, List.of(m), TestingWorkload.every(20, 100_000), PlantOptions.defaults());
        plant.advance(1_000);
        plant.apply(List.of(target("s", StageKind.CPU, a, a.withCpuMillis(2000))));
        // One surge pod at a time: 3 pods exist while the first new one starts, the ready count never drops below 2.
        assertThat(plant.pods(0)).isEqualTo(3);
        for (long t = 2_000; t <= 40_000; t += 1_000) {
            plant.advance(t);
            assertThat(plant.readyPods(0)).isGreaterThanOrEqualTo(2);
        }
        assertThat(plant.pods(0)).isEqualTo(2);
    }

    @Test
    void anInPlaceResizeRestartsNothing() {
        Allocation a = new Allocation(2, 1000, 1024, 1.0);
        PipelineSpec spec = TestPipelines.single("s", StageKind.CPU, a, 1e9, true);
        StageModel m = StageModel.cpu("s", 10, 0, 1.0, 1, 0, 0, 0, 10_000);
        PipelinePlant plant = new PipelinePlant(spec, List.of(m), TestingWorkload.every(20, 100_000), PlantOptions.defaults());
        plant.advance(1_000);
        plant.apply(List.of(target("s", StageKind.CPU, a, a.withCpuMillis(2000))));
        assertThat(plant.pods(0)).isEqualTo(2);
        assertThat(plant.readyPods(0)).isEqualTo(2);
    }

    @Test
    void costIsTheCostModelIntegratedOverSimulatedTime() {
        AppProfile app = AppProfiles.image();
        PipelinePlant plant = Scenarios.plant(app, "poisson", 10_000_000, 1, null, 1);
        plant.advance(3_600_000);
        double perHourBill = CostModel.billable(app.spec(), plant.allocations());
        double perHourEff = CostModel.effective(app.spec(), plant.allocations());
        assertThat(plant.totals().spent().billableDollars()).isCloseTo(perHourBill, within(1e-6));
        assertThat(plant.totals().spent().effectiveDollars()).isCloseTo(perHourEff, within(1e-6));
        // A GPU rate of 0.5 for the next hour halves that hour's GPU term in effective cost only.
        Allocation inf = plant.allocation(1);
        plant.apply(List.of(StageTarget.of("inference", StageKind.GPU, inf, inf.withRate(0.5))));
        plant.advance(7_200_000);
        double gpuHalf = 0.5 * app.spec().prices().gpuHour();
        assertThat(plant.totals().spent().billableDollars()).isCloseTo(2 * perHourBill, within(1e-6));
        assertThat(plant.totals().spent().effectiveDollars()).isCloseTo(2 * perHourEff - gpuHalf, within(1e-6));
    }

    @Test
    void reportsEveryFiveSecondsPerStageWithSaneFields() {
        AppProfile app = AppProfiles.image();
        PipelinePlant plant = Scenarios.plant(app, "poisson", 1_000_000, 3, null, 1);
        List<StageMetrics> ms = plant.advance(30_000);
        assertThat(ms).hasSize(6 * 3);
        long arrivals = 0;
        for (int i = 0; i < ms.size(); i++) {
            StageMetrics m = ms.get(i);
            assertThat(m.ts()).isEqualTo(5_000L * (i / 3 + 1));
            assertThat(m.stage()).isEqualTo(app.spec().stages().get(i % 3).name());
            assertThat(m.pipeline()).isEqualTo(app.spec().name());
            assertThat(m.replicas()).isEqualTo(app.spec().stages().get(i % 3).initial().replicas());
            assertThat(m.memUtil()).isBetween(0.0, 1.0);
            Double util = m.kind() == StageKind.GPU ? m.gpuUtil() : m.cpuUtil();
            assertThat(util).isBetween(0.0, 1.0);
            assertThat(m.latencyMs() != null || m.latencyHist() != null).isTrue();
            if (i % 3 == 0) {
                arrivals += m.arrivals();
            }
            if (i % 3 == 2) {
                assertThat(m.e2eLatencyMs() != null || m.e2eLatencyHist() != null).isTrue();
            } else {
                assertThat(m.e2eLatencyMs()).isNull();
            }
        }
        // 80 rps for 30 s.
        assertThat(arrivals).isBetween(2_200L, 2_600L);
        // The preprocessing stage runs at about 80 / (2 x 62) = 65% utilisation.
        assertThat(ms.get(ms.size() - 3).cpuUtil()).isBetween(0.5, 0.8);
    }

    @Test
    void aSeedGivesTheSameRunEveryTime() {
        AppProfile app = AppProfiles.nlp();
        PipelinePlant a = Scenarios.plant(app, "burst", 50_000, 7, null, 1);
        PipelinePlant b = Scenarios.plant(app, "burst", 50_000, 7, null, 1);
        List<StageMetrics> ma = a.advance(300_000);
        List<StageMetrics> mb = b.advance(300_000);
        assertThat(ma).isEqualTo(mb);
        PipelinePlant c = Scenarios.plant(app, "burst", 50_000, 8, null, 1);
        assertThat(c.advance(300_000)).isNotEqualTo(ma);
    }

    @Test
    void reportsWithoutLatenciesChangeNothingElse() {
        AppProfile app = AppProfiles.nlp();
        PipelinePlant with = Scenarios.plant(app, "burst", 50_000, 7, null, 1);
        PipelinePlant without = Scenarios.plant(app, "burst", 50_000, 7, null, 1);
        without.reportLatencies(false);
        List<StageMetrics> mw = with.advance(300_000);
        List<StageMetrics> mo = without.advance(300_000);
        assertThat(mo).hasSameSizeAs(mw);
        for (int i = 0; i < mw.size(); i++) {
            StageMetrics a = mw.get(i);
            StageMetrics b = mo.get(i);
            assertThat(b.latencyMs()).isEmpty();
            assertThat(b.e2eLatencyMs()).isIn(null, List.of());
            assertThat(b.latencyHist()).isNull();
            assertThat(new StageMetrics(a.v(), a.pipeline(), a.stage(), a.pod(), a.ts(), a.kind(), a.replicas(),
                    a.cpuMillis(), a.memoryMb(), a.gpuRate(), a.arrivals(), a.completions(), a.queueDepth(), a.cpuUtil(),
                    a.memUtil(), a.gpuUtil(), b.latencyMs(), b.latencyHist(), b.e2eLatencyMs(), b.e2eLatencyHist()))
                    .isEqualTo(b);
        }
        assertThat(mw.stream().anyMatch(m -> !m.latencyMs().isEmpty())).isTrue();
        Totals tw = with.totals();
        Totals to = without.totals();
        assertThat(to.e2eMicros()).isEqualTo(tw.e2eMicros());
        assertThat(to.completed()).isEqualTo(tw.completed());
        assertThat(to.slaViolations()).isEqualTo(tw.slaViolations());
        assertThat(to.spent()).isEqualTo(tw.spent());
    }

    @Test
    void arrivalsBeyondTheInFlightBoundAreDroppedAndCountedAsFailed() {
        // One server at 1 s a request, 100 requests a millisecond: without a bound the queue grows without end.
        Allocation a = new Allocation(1, 1000, 1024, 1.0);
        PipelineSpec spec = TestPipelines.single("s", StageKind.CPU, a, 1e9);
        StageModel m = StageModel.cpu("s", 1000, 0, 1.0, 1, 0, 0, 0, 1_000);
        PipelinePlant plant = new PipelinePlant(spec, List.of(m), TestingWorkload.every(0.01, 200_000),
                new PlantOptions(5_000, 3, 256, 0L, 1_000));
        long peak = 0;
        for (long t = 100; t <= 3_000; t += 100) {
            plant.advance(t);
            peak = Math.max(peak, plant.inFlight());
        }
        assertThat(peak).isEqualTo(1_000);
        Totals tt = plant.totals();
        assertThat(tt.arrived()).isEqualTo(200_000);
        assertThat(tt.dropped()).isEqualTo(tt.arrived() - tt.completed() - plant.inFlight()).isGreaterThan(190_000);
        assertThat(tt.failed()).isEqualTo(tt.dropped());
        assertThat(plant.queueDepth(0)).isLessThanOrEqualTo(1_000);
    }

    @Test
    void theDefaultBoundHoldsForAHugeRate() {
        // 1.2 million requests within 1.2 simulated seconds into a stage that serves one a second.
        Allocation a = new Allocation(1, 1000, 1024, 1.0);
        PipelineSpec spec = TestPipelines.single("s", StageKind.CPU, a, 1e9);
        StageModel m = StageModel.cpu("s", 1000, 0, 1.0, 1, 0, 0, 0, 1_000);
        int n = PlantOptions.MAX_IN_FLIGHT + 150_000;
        PipelinePlant plant = new PipelinePlant(spec, List.of(m), TestingWorkload.every(0.001, n), PlantOptions.defaults());
        plant.advance(2_000);
        assertThat(plant.totals().arrived()).isEqualTo(n);
        assertThat(plant.inFlight()).isEqualTo(PlantOptions.MAX_IN_FLIGHT);
        assertThat(plant.totals().dropped()).isEqualTo(n - plant.totals().completed() - plant.inFlight()).isPositive();
    }

    @Test
    void aValidTraceReplayedAtAHugeRateStaysWithinTheBound() throws Exception {
        Trace trace = Trace.read("t", new java.io.StringReader("t,c,g\n0,100,10\n1,200,20\n2,300,30\n"));
        AppProfile app = AppProfiles.textgen();
        PipelinePlant plant = new PipelinePlant(app.spec(), app.models(),
                Scenarios.workload(app, Scenarios.TRACE, 5_000_000, 1, trace, 1e6),
                new PlantOptions(5_000, 3, 256, 0L, 10_000));
        for (long t = 1_000; t <= 20_000; t += 1_000) {
            plant.advance(t);
            assertThat(plant.inFlight()).isLessThanOrEqualTo(10_000);
        }
        assertThat(plant.totals().dropped()).isPositive();
    }
}
