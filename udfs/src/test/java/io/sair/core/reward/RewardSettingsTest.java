package io.sair.core.reward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Json;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.RewardSettings;
import org.junit.jupiter.api.Test;

/** A pipeline's spec can set the reward's weights, caps and margin (policy.reward); unset fields keep the defaults. */
class RewardSettingsTest {

    private static final String SPEC = """
            {"name": "p", "slaP99Ms": 200, "stages": [{"name": "pre", "kind": "cpu"}],
             "policy": {"reward": {"latencyWeight": 0.5, "costWeight": 0.5, "paretoMargin": 0.3}}}""";

    @Test
    void aSpecsRewardOverridesReachTheRewardAndTheRestKeepTheDefaults() throws Exception {
        PipelineSpec spec = Json.MAPPER.readValue(SPEC, PipelineSpec.class);
        assertThat(spec.problems()).isEmpty();
        RewardConfig c = RewardConfig.defaults().with(spec.policy().reward());
        assertThat(c).isEqualTo(new RewardConfig(0.5, 0.5, 4.0, true, 0.3, 0.2, 5.0));
        assertThat(RewardConfig.defaults().with(null)).isEqualTo(RewardConfig.defaults());
        // The same transition (p99 unchanged, cost down 20 %) earns more where cost weighs more.
        RewardCalculator.Window before = new RewardCalculator.Window(100, 10);
        RewardCalculator.Window after = new RewardCalculator.Window(100, 8);
        double paper = new RewardCalculator(RewardConfig.defaults()).evaluate(before, after, 200, 0,
                new ParetoPoint(0.1, 0.1), new ParetoFrontier(java.util.List.of())).total();
        double costly = new RewardCalculator(c).evaluate(before, after, 200, 0,
                new ParetoPoint(0.1, 0.1), new ParetoFrontier(java.util.List.of())).total();
        assertThat(costly).isGreaterThan(paper);
    }

    @Test
    void badValuesAreNamedBySpecCheck() throws Exception {
        PipelineSpec spec = Json.MAPPER.readValue(SPEC.replace("0.3}", "-1, \"clip\": 0}"), PipelineSpec.class);
        assertThat(spec.problems()).containsExactly("policy.reward.paretoMargin: must be a finite number >= 0",
                "policy.reward.clip: must be a finite number > 0");
        assertThat(new RewardSettings(null, null, null, null, null, null).problems("x")).isEmpty();
    }
}
