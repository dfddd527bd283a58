package io.sair.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sair.core.model.RewardBreakdown;
import io.sair.core.reward.RewardCalculator.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewardCalculatorTest {

    private final RewardCalculator calc = new RewardCalculator(RewardConfig.defaults());
    private final ParetoFrontier empty = new ParetoFrontier();

    @Test
    void latencyAndCostTermsAreWeightedRelativeImprovements() {
        RewardBreakdown r = calc.evaluate(new Window(200, 10), new Window(100, 12), 400, 0, new ParetoPoint(0.1, 0.3),
                empty);
        assertThat(r.latency()).isCloseTo(0.7 * 0.5, within(1e-12));
        assertThat(r.cost()).isCloseTo(0.3 * -0.2, within(1e-12));
        assertThat(r.sla()).isZero();
        assertThat(r.bonus()).isZero();
    }

    @Test
    void improvementsAreClippedToOne() {
        RewardBreakdown r = calc.evaluate(new Window(100, 1), new Window(1000, 10), 2000, 0, new ParetoPoint(0.1, 0.3),
                empty);
        assertThat(r.latency()).isCloseTo(-0.7, within(1e-12));
        assertThat(r.cost()).isCloseTo(-0.3, within(1e-12));
    }

    @Test
    void slaPenaltyIsQuadraticAndCapped() {
        assertThat(calc.evaluate(new Window(100, 1), new Window(300, 1), 200, 0, new ParetoPoint(0.4, 0.3), empty).sla())
                .isCloseTo(-0.25, within(1e-12));
        assertThat(calc.evaluate(new Window(100, 1), new Window(2000, 1), 200, 0, new ParetoPoint(1, 0.3), empty).sla())
                .isEqualTo(-4.0);
        RewardCalculator linear = new RewardCalculator(RewardConfig.defaults().withLinearSla());
        assertThat(linear.evaluate(new Window(100, 1), new Window(300, 1), 200, 0, new ParetoPoint(0.4, 0.3), empty).sla())
                .isCloseTo(-0.5, within(1e-12));
    }

    @Test
    void paretoTermSeparatesNonDominatedFromDominated() {
        ParetoFrontier f = new ParetoFrontier(List.of(new ParetoPoint(0.3, 0.3)));
        double good = calc.paretoTerm(new ParetoPoint(0.2, 0.5), f);
        double bad = calc.paretoTerm(new ParetoPoint(0.4, 0.4), f);
        assertThat(good).isGreaterThanOrEqualTo(0.2);
        assertThat(bad).isCloseTo(-Math.hypot(0.1, 0.1) / Math.sqrt(2), within(1e-12));
    }

    @Test
    void bonusOnlyWhenTheSlaWasViolatedBeforeTheDecision() {
        RewardBreakdown violated = calc.evaluate(new Window(300, 1), new Window(250, 2), 200, 0.5,
                new ParetoPoint(0.3, 0.3), empty);
        assertThat(violated.bonus()).isCloseTo(0.2 * 0.5 * 0.5, within(1e-12));
        RewardBreakdown fine = calc.evaluate(new Window(100, 1), new Window(90, 2), 200, 0.5, new ParetoPoint(0.1, 0.3),
                empty);
        assertThat(fine.bonus()).isZero();
        RewardCalculator noBonus = new RewardCalculator(RewardConfig.defaults().withoutBonus());
        assertThat(noBonus.evaluate(new Window(300, 1), new Window(250, 2), 200, 0.5, new ParetoPoint(0.3, 0.3), empty)
                .bonus()).isZero();
    }

    @Test
    void totalIsTheSumOfTheTerms() {
        RewardBreakdown r = calc.evaluate(new Window(300, 1), new Window(250, 2), 200, 1.0, new ParetoPoint(0.3, 0.3),
                empty);
        assertThat(r.total()).isCloseTo(r.latency() + r.cost() + r.sla() + r.pareto() + r.bonus(), within(1e-12));
    }

    @Test
    void zeroTrafficWindowsDoNotDivideByZero() {
        RewardBreakdown r = calc.evaluate(new Window(0, 0), new Window(0, 0), 200, 0, new ParetoPoint(0, 0), empty);
        assertThat(r.total()).isFinite();
        assertThat(r.latency()).isZero();
        assertThat(r.cost()).isZero();
    }
}
