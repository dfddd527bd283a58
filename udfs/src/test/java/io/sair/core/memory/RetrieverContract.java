package io.sair.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Experience;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What every Retriever promises, run by each implementation's subclass. */
abstract class RetrieverContract {

    abstract Retriever retriever();

    private static List<Experience> buffer(int n, long seed) {
        Random r = new Random(seed);
        List<Experience> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Episodes.of(i, r.nextDouble() * 2 - 1, r.nextDouble(), r.nextDouble(), r.nextDouble()));
        }
        return List.copyOf(out); // unmodifiable: a retriever must not reorder the caller's buffer
    }

    @Test
    void selectsKDistinctEpisodesOfTheBufferInCurriculumOrder() {
        List<Experience> buffer = buffer(40, 1);
        List<Experience> chosen = retriever().select(new double[] {0.2, 0.5, 0.9}, buffer, 8, 7);
        assertThat(chosen).hasSize(8).doesNotHaveDuplicates();
        assertThat(buffer).containsAll(chosen);
        assertThat(chosen).isSortedAccordingTo(Curriculum.ORDER);
    }

    @Test
    void aSmallBufferIsShownWhole() {
        List<Experience> buffer = buffer(3, 2);
        assertThat(retriever().select(new double[] {0.5, 0.5, 0.5}, buffer, 8, 7))
                .containsExactlyInAnyOrderElementsOf(buffer).isSortedAccordingTo(Curriculum.ORDER);
        assertThat(retriever().select(new double[] {0.5, 0.5, 0.5}, List.of(), 8, 7)).isEmpty();
        assertThat(retriever().select(new double[] {0.5, 0.5, 0.5}, buffer, 0, 7)).isEmpty();
    }

    @Test
    void theSameSeedChoosesTheSame() {
        List<Experience> buffer = buffer(60, 3);
        double[] q = {0.1, 0.7, 0.3};
        List<Long> first = retriever().select(q, buffer, 10, 42).stream().map(Experience::id).toList();
        List<Long> again = retriever().select(q, buffer, 10, 42).stream().map(Experience::id).toList();
        assertThat(again).isEqualTo(first);
        assertThat(new HashSet<>(first)).hasSize(10);
    }

    @Test
    void hasAName() {
        assertThat(retriever().name()).isNotBlank();
    }
}
