package io.sair.core.policy.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sair.core.policy.Policy;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    @Test
    void everyNameCreatesItsBaseline() {
        for (String name : Baselines.NAMES) {
            Policy p = Baselines.create(" " + name.toUpperCase() + " ", BaselineSettings.defaults());
            assertThat(p.name()).isEqualTo(name);
        }
        assertThat(Baselines.create("hpa", null)).isInstanceOf(HpaPolicy.class);
    }

    @Test
    void eachCallGivesAFreshInstance() {
        assertThat(Baselines.create("hpa", null)).isNotSameAs(Baselines.create("hpa", null));
    }

    @Test
    void anUnknownNameIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> Baselines.create("keda-v3", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
    }

    @Test
    void sweptKnobsReachThePolicies() {
        BaselineSettings s = BaselineSettings.defaults().withHpaTarget(0.5).withThresholds(80, 250);
        assertThat(s.hpa().targetUtilisation()).isEqualTo(0.5);
        assertThat(s.threshold().cpuThresholdMs()).isEqualTo(80);
        assertThat(s.threshold().gpuThresholdMs()).isEqualTo(250);
        assertThatThrownBy(() -> BaselineSettings.defaults().withHpaTarget(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
