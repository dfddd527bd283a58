package io.sair.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.sim.loop.RunResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrontierTest {

    private static Frontier.Point p(String name, double within, double p99, double cost) {
        return new Frontier.Point(name, "default", within, p99, cost);
    }

    @Test
    void aSettingDominatesOnlyWhenAtLeastAsGoodOnBothAndBetterOnOne() {
        Frontier.Point sair = p("sair", 99.0, 100, 0.010);
        Frontier.Point cheaperAndBetter = p("kpa", 99.5, 90, 0.009);
        Frontier.Point cheaperButWorse = p("hpa", 98.0, 80, 0.008);
        Frontier.Point same = p("ray", 99.0, 100, 0.010);
        assertThat(Frontier.dominators(sair, List.of(cheaperAndBetter, cheaperButWorse, same), Frontier.ON_SLA_SHARE))
                .containsExactly(cheaperAndBetter);
        // On (p99, cost) the cheaper one with a lower p99 dominates too.
        assertThat(Frontier.dominators(sair, List.of(cheaperAndBetter, cheaperButWorse, same), Frontier.ON_P99))
                .containsExactly(cheaperAndBetter, cheaperButWorse);
    }

    @Test
    void theFrontierKeepsTheUndominatedPoints() {
        Frontier.Point a = p("a", 99.9, 50, 0.020);
        Frontier.Point b = p("b", 99.0, 60, 0.010);
        Frontier.Point c = p("c", 98.0, 70, 0.015); // worse than b on both
        Frontier.Point d = p("d", 90.0, 200, 0.005);
        assertThat(Frontier.frontier(List.of(a, b, c, d), Frontier.ON_SLA_SHARE)).containsExactly(a, b, d);
    }

    @Test
    void pointsAreMeansOverSeedsPerSettingAndTheVerdictNamesThem() {
        List<RunResult> runs = List.of(run("kpa", 1, 1.0, 0.010), run("kpa", 2, 3.0, 0.012), run("kpa", 1, 0.0, 0.02),
                run("sair", 1, 2.0, 0.011));
        List<String> settings = List.of("target 70% panic 200%", "target 70% panic 200%", "target 50% panic 200%",
                "default");
        List<Frontier.Point> pts = Frontier.points(runs, settings, "image", "flash");
        assertThat(pts).hasSize(3);
        Frontier.Point kpa70 = pts.get(0);
        assertThat(kpa70.withinSlaPct()).isEqualTo(98.0);
        assertThat(kpa70.billablePer1k()).isEqualTo(0.011);
        assertThat(kpa70.name()).isEqualTo("kpa@target 70% panic 200%");
        assertThat(pts.get(2).name()).isEqualTo("sair");
        assertThat(Frontier.verdict(List.of())).isEqualTo("none");
        assertThat(Frontier.verdict(List.of(kpa70, pts.get(1), kpa70, kpa70))).isEqualTo(
                "kpa@target 70% panic 200%, kpa@target 50% panic 200%, kpa@target 70% panic 200% and 1 more");
    }

    private static RunResult run(String autoscaler, long seed, double violationPct, double billable) {
        return new RunResult("image", "flash", autoscaler, seed, 1000, 10, 100, violationPct, 80, billable, billable, 0, 4,
                0, 0, 10, 0.1, null);
    }
}
