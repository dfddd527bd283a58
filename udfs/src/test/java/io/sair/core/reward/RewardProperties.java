package io.sair.core.reward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.RewardBreakdown;
import io.sair.core.reward.RewardCalculator.Window;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/** Proposition 5.2 and the reward's bounds, over random frontiers and points. */
class RewardProperties {

    private final RewardCalculator calc = new RewardCalculator(RewardConfig.defaults());

    @Property(tries = 500)
    void everyNonDominatedPointScoresAtLeastTheMarginAboveEveryDominatedOne(
            @ForAll("frontiers") List<ParetoPoint> members, @ForAll("points") ParetoPoint a, @ForAll("points") ParetoPoint b) {
        ParetoFrontier f = new ParetoFrontier(members);
        if (f.isDominated(a) == f.isDominated(b)) {
            return;
        }
        ParetoPoint good = f.isDominated(a) ? b : a;
        ParetoPoint bad = f.isDominated(a) ? a : b;
        assertThat(calc.paretoTerm(good, f) - calc.paretoTerm(bad, f)).isGreaterThanOrEqualTo(0.2 - 1e-12);
    }

    @Property(tries = 1000)
    void rewardStaysInItsBoundsAndEveryTermInIts(
            @ForAll @DoubleRange(min = 0, max = 1e6) double p99Before, @ForAll @DoubleRange(min = 0, max = 1e6) double p99After,
            @ForAll @DoubleRange(min = 0, max = 1e4) double costBefore, @ForAll @DoubleRange(min = 0, max = 1e4) double costAfter,
            @ForAll @DoubleRange(min = 1, max = 1e5) double sla, @ForAll @DoubleRange(min = 0, max = 1) double upShare,
            @ForAll("frontiers") List<ParetoPoint> members) {
        ParetoPoint p = new ParetoPoint(Objectives.latency(p99After, sla), Objectives.cost(costAfter, 1e4));
        RewardBreakdown r = calc.evaluate(new Window(p99Before, costBefore), new Window(p99After, costAfter), sla, upShare,
                p, new ParetoFrontier(members));
        assertThat(r.total()).isBetween(-5.0, 5.0);
        assertThat(r.latency()).isBetween(-0.7, 0.7);
        assertThat(r.cost()).isBetween(-0.3, 0.3);
        assertThat(r.sla()).isBetween(-4.0, 0.0);
        assertThat(r.pareto()).isBetween(-1.0, 1.2);
        assertThat(r.bonus()).isBetween(0.0, 0.2);
    }

    @Provide
    Arbitrary<ParetoPoint> points() {
        Arbitrary<Double> unit = Arbitraries.doubles().between(0, 1);
        return Combinators.combine(unit, unit).as(ParetoPoint::new);
    }

    @Provide
    Arbitrary<List<ParetoPoint>> frontiers() {
        return points().list().ofMaxSize(12);
    }
}
