package io.sair.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.sim.bench.Autoscalers;
import io.sair.sim.bench.BenchConfig;
import io.sair.sim.bench.Tuning;
import io.sair.sim.loop.ClosedLoop;
import io.sair.sim.plant.PipelinePlant;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's baselines: the bench's rule for the best one, and every baseline on the demo's own requests. */
class BaselinesTest {

    static BaselineRun run(String name, double p99, double billable, double effective) {
        return new BaselineRun(name, "s-" + name, new RunFigures(name, 1000, p99, 0, 1, effective, billable, 2), null);
    }

    @Test
    void theCheapestBillableAmongThoseMeetingTheSlaWins() {
        List<BaselineRun> runs = List.of(run("hpa", 90, 0.030, 0.010), run("kpa", 140, 0.020, 0.015),
                run("ray", 400, 0.001, 0.001), run("keda", 60, 0.025, 0.012));
        // ray is cheapest but misses the SLA; hpa is cheapest effective and keda fastest, but kpa bills least.
        assertThat(Baselines.best(runs, 150).name()).isEqualTo("kpa");
    }

    @Test
    void whenNoneMeetsTheSlaTheLowestP99Wins() {
        List<BaselineRun> runs = List.of(run("hpa", 900, 0.01, 0.01), run("ds2", Double.NaN, 0.001, 0.001),
                run("threshold", 300, 0.05, 0.05));
        assertThat(Baselines.best(runs, 150).name()).isEqualTo("threshold");
    }

    @Test
    void everyBaselineRunsOnTheDemosRequestsAtItsSweptSetting() {
        DemoConfig cfg = DemoConfig.of("image", "burst", null, 6, 0, Path.of("unused"), null, 0, 7);
        Baselines b = Baselines.run(cfg);
        assertThat(b.runs()).extracting(BaselineRun::name).containsExactlyElementsOf(Baselines.NAMES);
        assertThat(b.sweepSeed()).isEqualTo(BenchConfig.TUNING_SEED).isNotEqualTo(cfg.seed());
        assertThat(b.sweepRuns()).isGreaterThan(Baselines.NAMES.size());
        assertThat(b.best()).isIn(b.runs()).isEqualTo(Baselines.best(b.runs(), cfg.app().spec().slaP99Ms()));
        assertThat(b.runs()).filteredOn(r -> r.name().equals("ds2")).extracting(BaselineRun::setting).containsExactly("default");
        assertThat(b.runs()).filteredOn(r -> r.name().equals("hpa")).extracting(BaselineRun::setting).first().asString()
                .startsWith("target ");
        // The same requests as the static run: the same seed and rounds give the same arrivals.
        PipelinePlant plant = cfg.plant(cfg.seed(), 0L);
        new ClosedLoop(30_000, cfg.rounds() * 30_000L).run("image", "burst", cfg.seed(), plant,
                Autoscalers.create("static", plant.spec(), Tuning.DEFAULT));
        long arrived = RunFigures.of("static", plant, 0).requests();
        assertThat(b.runs()).allSatisfy(r -> assertThat(r.figures().requests()).isEqualTo(arrived));
        assertThat(b.runs()).allSatisfy(r -> assertThat(r.run().trajectory().tSec()).isNotEmpty());
    }
}
