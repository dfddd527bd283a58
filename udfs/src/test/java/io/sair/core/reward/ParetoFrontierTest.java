package io.sair.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoFrontierTest {

    @Test
    void keepsOnlyNonDominatedPointsSortedByLatency() {
        ParetoFrontier f = new ParetoFrontier();
        assertThat(f.insert(new ParetoPoint(0.5, 0.5))).isTrue();
        assertThat(f.insert(new ParetoPoint(0.6, 0.6))).isFalse();
        assertThat(f.insert(new ParetoPoint(0.2, 0.8))).isTrue();
        assertThat(f.insert(new ParetoPoint(0.4, 0.4))).isTrue();
        assertThat(f.points()).containsExactly(new ParetoPoint(0.2, 0.8), new ParetoPoint(0.4, 0.4));
    }

    @Test
    void hypervolumeOfOnePointIsItsBoxToTheReference() {
        ParetoFrontier f = new ParetoFrontier(List.of(new ParetoPoint(0.25, 0.5)));
        assertThat(f.hypervolume()).isCloseTo(0.75 * 0.5, within(1e-12));
    }

    @Test
    void hypervolumeOfAStaircaseCountsOverlapOnce() {
        ParetoFrontier f = new ParetoFrontier(List.of(new ParetoPoint(0.2, 0.6), new ParetoPoint(0.5, 0.3)));
        // [0.2,1]x[0.6,1] = 0.32 plus [0.5,1]x[0.3,0.6] = 0.15
        assertThat(f.hypervolume()).isCloseTo(0.47, within(1e-12));
    }

    @Test
    void contributionIsTheAddedAreaAndZeroWhenDominated() {
        ParetoFrontier f = new ParetoFrontier(List.of(new ParetoPoint(0.5, 0.5)));
        assertThat(f.hypervolumeContribution(new ParetoPoint(0.25, 0.75))).isCloseTo(0.25 * 0.25, within(1e-12));
        assertThat(f.hypervolumeContribution(new ParetoPoint(0.6, 0.6))).isZero();
        assertThat(new ParetoFrontier().hypervolumeContribution(new ParetoPoint(0.5, 0.5))).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void distanceIsToTheNearestMember() {
        ParetoFrontier f = new ParetoFrontier(List.of(new ParetoPoint(0.2, 0.6), new ParetoPoint(0.5, 0.3)));
        assertThat(f.distance(new ParetoPoint(0.5, 0.7))).isCloseTo(Math.hypot(0.3, 0.1), within(1e-12));
        assertThat(new ParetoFrontier().distance(new ParetoPoint(0.5, 0.5))).isZero();
    }

    @Test
    void equalPointIsNotDominated() {
        ParetoFrontier f = new ParetoFrontier(List.of(new ParetoPoint(0.3, 0.3)));
        assertThat(f.isDominated(new ParetoPoint(0.3, 0.3))).isFalse();
        assertThat(f.insert(new ParetoPoint(0.3, 0.3))).isFalse();
        assertThat(f.size()).isEqualTo(1);
    }
}
