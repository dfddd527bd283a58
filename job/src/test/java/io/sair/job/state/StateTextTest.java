package io.sair.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.ControllerState;
import io.sair.core.PendingDecision;
import io.sair.core.explore.ExplorationState;
import io.sair.core.model.Allocation;
import io.sair.core.model.Experience;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import io.sair.core.reward.ParetoPoint;
import io.sair.core.validate.Cooldowns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The views and the human text of learned state, on state built by hand. */
class StateTextTest {

    static final long T0 = 1_767_225_600_000L;

    static Experience episode(long id, double reward, StageTarget... action) {
        return new Experience(id, T0 + id * 30_000, new double[] {0.5}, List.of(), 100.0 + id, List.of(action), reward,
                0.1 * id, 0.5 - 0.01 * id);
    }

    static final StageTarget PRE_UP = StageTarget.of("pre", StageKind.CPU, new Allocation(2, 1000, 1024, 1.0),
            new Allocation(3, 1500, 1024, 1.0));
    static final StageTarget GPU_SAME = StageTarget.of("gpu", StageKind.GPU, new Allocation(1, 2000, 4096, 1.0),
            new Allocation(1, 2000, 4096, 1.0));
    static final StageTarget GPU_SLOWER = StageTarget.of("gpu", StageKind.GPU, new Allocation(1, 2000, 4096, 1.0),
            new Allocation(1, 2000, 4096, 0.8));

    static PipelineState sample() {
        ControllerState s = new ControllerState(
                List.of(episode(1, 0.4, PRE_UP, GPU_SAME), episode(2, 1.5, GPU_SLOWER), episode(3, 0.9, GPU_SAME)),
                List.of(new ParetoPoint(0.1, 0.5), new ParetoPoint(0.3, 0.2)), new ExplorationState(0.12, 5),
                new PendingDecision("p@1", T0 + 150_000, new double[] {0.5}, List.of(), 120.0, 2.5),
                new Cooldowns(Map.of("pre/replicas", T0 + 30_000), Map.of()), 4, T0 + 150_000);
        PipelineSpec spec = new PipelineSpec(null, "p", List.of(StageSpec.of("pre", StageKind.CPU)), 150.0, null, null,
                null);
        return new PipelineState("p", s, spec);
    }

    @Test
    void theViewRanksEpisodesByRewardAndKeepsTheTop() {
        LearnedStateView v = LearnedStateView.of(sample(), 2);
        assertThat(v.experiences()).isEqualTo(3);
        assertThat(v.topEpisodes()).extracting(LearnedStateView.Episode::id).containsExactly(2L, 3L);
        assertThat(LearnedStateView.of(sample(), 0).topEpisodes()).hasSize(3);
        assertThat(v.exploration().seed()).isEqualTo(42L);
        assertThat(v.hypervolume()).isCloseTo(0.9 * 0.5 + 0.7 * 0.3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(v.pending().decisionId()).isEqualTo("p@1");
    }

    @Test
    void theTextShowsCountsFrontierExplorationAndTheChangedStages() {
        String text = StateText.render("file:/sp", List.of(LearnedStateView.of(sample(), 5)), 5);
        assertThat(text).startsWith("file:/sp: 1 pipeline\n")
                .contains("3 remembered (next id 4); top 3 by reward:")
                .contains("pre replicas 2->3, cpu 1000->1500m")
                .contains("gpu rate 1.00->0.80")
                .contains("2 points, hypervolume 0.6600")
                .contains("round 5, epsilon 0.1200 (decay 0.95, floor 0.05, seed 42)")
                .contains("decision p@1 of window 2026-01-01T00:02:30Z")
                .contains("cooldowns       up pre/replicas 2026-01-01T00:00:30Z\n");
        // Best first: episode 2 (reward 1.5) is listed before episode 3 (0.9) and episode 1 (0.4).
        assertThat(text.indexOf("+1.500")).isLessThan(text.indexOf("+0.900")).isLessThan(text.indexOf("+0.400"));
        assertThat(StateText.action(List.of(GPU_SAME))).isEqualTo("no change");
    }

    @Test
    void theLoadSaysHowLongItIsRemembered() {
        PipelineState p = sample();
        ControllerState s = p.state();
        ControllerState withPeak = new ControllerState(s.experiences(), s.frontier(), s.exploration(), s.pending(),
                s.cooldowns(), s.nextExperienceId(), s.lastWindowEnd(), new io.sair.core.policy.LoadPeak(200, T0),
                io.sair.core.policy.LoadRise.none(), s.capacity());
        LearnedStateView hour = LearnedStateView.of(new PipelineState("p", withPeak, p.spec()), 5);
        assertThat(hour.load().halfLifeMs()).isEqualTo(3_600_000L);
        assertThat(StateText.render("sp", List.of(hour), 5)).contains("(each fades, 1.0 h half-life)");
        // Surges 2.5 hours apart: the peak is remembered that long.
        Cooldowns recurring = withPeak.cooldowns().surged("pre", T0).surged("pre", T0 + 9_000_000L);
        ControllerState longer = new ControllerState(s.experiences(), s.frontier(), s.exploration(), s.pending(),
                recurring, s.nextExperienceId(), s.lastWindowEnd(), withPeak.loadPeak(), withPeak.loadRise(),
                s.capacity());
        LearnedStateView v = LearnedStateView.of(new PipelineState("p", longer, p.spec()), 5);
        assertThat(v.load().halfLifeMs()).isEqualTo(9_000_000L);
        assertThat(StateText.render("sp", List.of(v), 5)).contains("(each fades, 2.5 h half-life)")
                .contains("pre/surge-episode-before 2026-01-01T00:00:00Z");
    }

    @Test
    void aPipelineWithASpecButNoRoundsSaysSo() {
        PipelineState fresh = new PipelineState("q", null, sample().spec());
        String text = StateText.render("sp", List.of(LearnedStateView.of(fresh, 5)), 5);
        assertThat(text).contains("q\n  no learned state yet");
    }
}
