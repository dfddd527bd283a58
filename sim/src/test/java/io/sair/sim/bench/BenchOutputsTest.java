package io.sair.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sair.sim.loop.RunResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BenchOutputsTest {

    @Test
    void resultsCsvHasExactlyTheAgreedHeader() {
        RunResult r = new RunResult("image", "burst", "sair", 1, 1000, 12.5, 99.25, 0.5, 80.1, 0.01, 0.005, 7, 4.5, 0, 0,
                100, 0.1, null);
        String csv = ResultsCsv.render(List.of(r));
        // The first fourteen columns never move; new ones only ever come after them.
        assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo("app,pattern,autoscaler,seed,requests,p50_ms,p99_ms,"
                + "sla_violation_pct,throughput_rps,billable_cost_per_1k,effective_cost_per_1k,decisions,mean_replicas,"
                + "setting,fluid_bound_billable_per_1k,within_sla_upper_bound_pct,peak_load_ratio,oracle_billable_per_1k,"
                + "oracle_within_sla_pct,oracle_setting,cost_gap_to_oracle,surges,surge_to_capacity_s,surges_uncovered,"
                + "scaling_actions,replica_changes");
        assertThat(csv.lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("image,burst,sair,1,1000,12.500,99.250,0.5000,80.100,0.010000,0.005000,7,4.500,default"
                        + ",,,,,,,,,,,,");
        RunExtras x = new RunExtras(0.004, 99.5, 0.4, 0.008, 99.9, "busy <= 70%", 3, 42.0, 1, 12, 20);
        assertThat(ResultsCsv.render(List.of(r), null, List.of(x)).lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("image,burst,sair,1,1000,12.500,99.250,0.5000,80.100,0.010000,0.005000,7,4.500,default,"
                        + "0.004000,99.5000,0.4000,0.008000,99.9000,busy <= 70%,1.2500,3,42.0,1,12,20");
        assertThat(ResultsCsv.render(List.of(r), List.of(Tuning.kpa(0.7, 2.0).label())).lines().skip(1).findFirst()
                .orElseThrow()).contains(",4.500,target 70% panic 200%,");
    }

    @Test
    void runSecondsAreOneLineNamingTheStaticAllocationAsTheSpeedReference() {
        Map<String, Double> byName = new TreeMap<>(Map.of("sweep", 43.14, "static", 18.0,
                "sair", 82.36));
        assertThat(Summary.runSeconds(byName)).isEqualTo("Run-seconds (each run's wall time, summed; the static "
                + "allocation's work is the same in every grid of this size, so its figure is this machine's speed): "
                + "sair 82.4, static 18.0, sweep 43.1.");
        assertThat(Summary.runSeconds(Map.of("sair", 1.0))).isEqualTo("Run-seconds (each run's wall time, "
                + "summed): sair 1.0.");
    }

    @Test
    void configRejectsUnknownNamesWithOneClearLine() {
        assertThatThrownBy(() -> new BenchConfig(List.of("image,movie"), null, null, 3, 1_000_000, null, null, Path.of("o"),
                2, 200_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown app 'movie' (one of image, nlp, textgen, video, image-shared, nlp-shared, "
                        + "textgen-shared, video-shared, image-inplace, nlp-inplace, textgen-inplace, video-inplace, "
                        + "image-shared-inplace, nlp-shared-inplace, textgen-shared-inplace, video-shared-inplace)");
        assertThat(new BenchConfig(List.of("nlp-shared"), null, null, 3, 1_000_000, null, null, Path.of("o"), 2, 200_000)
                .apps()).containsExactly("nlp-shared");
        assertThatThrownBy(() -> new BenchConfig(null, List.of("spiky"), null, 3, 1_000_000, null, null, Path.of("o"), 2,
                200_000)).hasMessageStartingWith("unknown pattern 'spiky'");
        assertThatThrownBy(() -> new BenchConfig(null, null, List.of("kubeflow"), 3, 1_000_000, null, null, Path.of("o"),
                2, 200_000)).hasMessageStartingWith("unknown autoscaler 'kubeflow'");
        assertThatThrownBy(() -> new BenchConfig(null, List.of("trace"), null, 3, 1_000_000, null, null, Path.of("o"), 2,
                200_000)).hasMessage("pattern 'trace' needs --trace FILE");
        assertThatThrownBy(() -> new BenchConfig(null, null, null, 0, 1_000_000, null, null, Path.of("o"), 2, 200_000))
                .hasMessageContaining("--seeds");
    }

    @Test
    void configDefaultsToTheFullGrid() {
        BenchConfig c = BenchConfig.defaults();
        assertThat(c.apps()).containsExactly("image", "nlp", "textgen", "video");
        assertThat(c.patterns()).containsExactly("poisson", "ramp", "burst", "flash", "regime", "diurnal");
        assertThat(c.autoscalers()).containsExactly("static", "hpa", "vpa", "threshold", "kpa", "keda", "ray", "ds2",
                "sair");
        assertThat(c.requests()).isEqualTo(1_000_000);
        BenchConfig t = new BenchConfig(List.of("textgen"), List.of("poisson"), List.of("sair"), 1, 1000,
                Path.of("x.csv"), null, Path.of("o"), 1, 1000);
        assertThat(t.patterns()).containsExactly("poisson", "trace");
    }

    @Test
    void theSweepPrefersMeetingTheSlaThenP99ThenCost() {
        RunResult fastCheap = run(90, 0.02);
        RunResult fastDear = run(92, 0.05);
        RunResult slow = run(200, 0.01);
        Tuning a = Tuning.hpa(0.5);
        Tuning b = Tuning.hpa(0.6);
        Tuning c = Tuning.hpa(0.8);
        java.util.Map<Tuning, List<RunResult>> m = new java.util.LinkedHashMap<>();
        m.put(b, List.of(fastDear));
        m.put(a, List.of(fastCheap));
        m.put(c, List.of(slow));
        assertThat(GridBench.pickBest(m, 150)).isEqualTo(a);
    }

    private static RunResult run(double p99, double cost) {
        return new RunResult("image", "poisson", "hpa", 1000, 1000, 10, p99, 0, 80, cost, cost, 0, 4, 0, 0, 10, 0.1, null);
    }
}
