package io.sair.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sair.core.model.Experience;
import io.sair.core.reward.ParetoFrontier;
import io.sair.core.reward.ParetoPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperienceBufferTest {

    @Test
    void remembersOnlyPositiveRewards() {
        ExperienceBuffer b = new ExperienceBuffer(List.of(), 10, true);
        assertThat(b.offer(Episodes.at(1, 0.3, 0.5, 0.5), new ParetoFrontier())).isTrue();
        assertThat(b.offer(Episodes.at(2, 0.0, 0.5, 0.5), new ParetoFrontier())).isFalse();
        assertThat(b.offer(Episodes.at(3, -1, 0.5, 0.5), new ParetoFrontier())).isFalse();
        assertThat(b.episodes()).extracting(Experience::id).containsExactly(1L);
    }

    @Test
    void storeAllKeepsNegativeRewardsToo() {
        ExperienceBuffer b = new ExperienceBuffer(List.of(), 10, false);
        b.offer(Episodes.at(1, -1, 0.5, 0.5), new ParetoFrontier());
        assertThat(b.size()).isEqualTo(1);
    }

    @Test
    void evictsTheOldestThatIsNotOnTheFrontier() {
        ParetoFrontier f = new ParetoFrontier(List.of(new ParetoPoint(0.1, 0.1)));
        ExperienceBuffer b = new ExperienceBuffer(List.of(), 3, true);
        b.offer(Episodes.at(1, 1, 0.1, 0.1), f);
        b.offer(Episodes.at(2, 1, 0.5, 0.5), f);
        b.offer(Episodes.at(3, 1, 0.6, 0.6), f);
        b.offer(Episodes.at(4, 1, 0.7, 0.7), f);
        assertThat(b.episodes()).extracting(Experience::id).containsExactly(1L, 3L, 4L);
    }

    @Test
    void capIsHardEvenWhenEverythingIsOnTheFrontier() {
        ParetoFrontier f = new ParetoFrontier(List.of(new ParetoPoint(0.1, 0.9), new ParetoPoint(0.9, 0.1)));
        ExperienceBuffer b = new ExperienceBuffer(List.of(), 1, true);
        b.offer(Episodes.at(1, 1, 0.1, 0.9), f);
        b.offer(Episodes.at(2, 1, 0.9, 0.1), f);
        assertThat(b.episodes()).extracting(Experience::id).containsExactly(2L);
    }

    @Test
    void rejectsANonPositiveCapacity() {
        assertThatThrownBy(() -> new ExperienceBuffer(List.of(), 0, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
