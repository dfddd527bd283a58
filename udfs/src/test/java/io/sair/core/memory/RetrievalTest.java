package io.sair.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Experience;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetrievalTest {

    private final Similarity sim = Similarity.defaults();

    @Test
    void returnsKDistinctEpisodesInAscendingRewardOrder() {
        List<Experience> buffer = randomBuffer(200, 4, 7);
        for (Retriever r : List.of(SurprisalRetriever.defaults(), new KnnRetriever(sim), new RandomRetriever())) {
            List<Experience> got = r.select(new double[] {0.5, 0.5, 0.5, 0.5}, buffer, 15, 1);
            assertThat(got).as(r.name()).hasSize(15);
            assertThat(new HashSet<>(got)).as(r.name()).hasSize(15);
            assertThat(got).as(r.name()).isSortedAccordingTo((a, b) -> Double.compare(a.reward(), b.reward()));
        }
    }

    @Test
    void returnsTheWholeBufferWhenSmallerThanK() {
        List<Experience> buffer = randomBuffer(5, 3, 1);
        assertThat(SurprisalRetriever.defaults().select(new double[] {0, 0, 0}, buffer, 15, 1)).hasSize(5);
        assertThat(SurprisalRetriever.defaults().select(new double[] {0, 0, 0}, List.of(), 15, 1)).isEmpty();
    }

    @Test
    void picksAMoreDiverseSetThanKnnAmongNearDuplicates() {
        // Twenty near-copies right at the query, and ten distinct episodes on a ring just around it:
        // kNN takes only copies; the diversity term (mu = 0.1) trades a little similarity for spread.
        List<Experience> buffer = new ArrayList<>();
        Random rnd = new Random(3);
        for (int i = 0; i < 20; i++) {
            buffer.add(Episodes.of(i, 0.5, 0.5 + rnd.nextGaussian() * 1e-3, 0.5 + rnd.nextGaussian() * 1e-3));
        }
        for (int i = 0; i < 10; i++) {
            double angle = 2 * Math.PI * i / 10;
            buffer.add(Episodes.of(100 + i, 0.3 + 0.05 * i, 0.5 + 0.15 * Math.cos(angle), 0.5 + 0.15 * Math.sin(angle)));
        }
        double[] q = {0.5, 0.5};
        List<Experience> knn = new KnnRetriever(sim).select(q, buffer, 10, 1);
        List<Experience> sair = SurprisalRetriever.defaults().select(q, buffer, 10, 1);
        assertThat(meanPairwiseDistance(sair)).isGreaterThan(meanPairwiseDistance(knn) * 2);
        assertThat(sair.stream().filter(e -> e.id() >= 100).count()).isGreaterThan(
                knn.stream().filter(e -> e.id() >= 100).count());
    }

    @Test
    void surprisalIsTheDistanceToTheLeaveOneOutEstimate() {
        List<Experience> pool = List.of(Episodes.of(1, 1.0, 0.0), Episodes.of(2, 0.0, 0.0), Episodes.of(3, 0.5, 0.0));
        double[] simPair = {0, 1, 1, 1, 0, 1, 1, 1, 0};
        double[] s = SurprisalRetriever.surprisal(pool, simPair);
        assertThat(s).containsExactly(0.75, 0.75, 0.0);
    }

    @Test
    void thePoolKeepsTheMostSimilarAndOnTiesTheOlderEpisodes() {
        // 400 identical episodes: every one is as similar as the next, so the pool is the 256 oldest.
        List<Experience> buffer = new java.util.ArrayList<>();
        for (int i = 399; i >= 0; i--) {
            buffer.add(Episodes.of(i, 0.5, 0.1, 0.1));
        }
        List<Experience> picked = new SurprisalRetriever(Similarity.defaults(), 0.5, 0.1, 256)
                .select(new double[] {0.1, 0.1}, buffer, 15, 1);
        assertThat(picked).allSatisfy(e -> assertThat(e.id()).isLessThan(256));
    }

    @Test
    void isDeterministicForAGivenBuffer() {
        List<Experience> buffer = randomBuffer(2000, 8, 11);
        double[] q = new double[8];
        java.util.Arrays.fill(q, 0.4);
        assertThat(SurprisalRetriever.defaults().select(q, buffer, 15, 1))
                .isEqualTo(SurprisalRetriever.defaults().select(q, buffer, 15, 1));
    }

    static List<Experience> randomBuffer(int n, int dims, long seed) {
        Random rnd = new Random(seed);
        List<Experience> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] f = new double[dims];
            for (int d = 0; d < dims; d++) {
                f[d] = rnd.nextDouble();
            }
            out.add(Episodes.of(i, rnd.nextDouble() * 2, f));
        }
        return out;
    }

    private double meanPairwiseDistance(List<Experience> set) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < set.size(); i++) {
            for (int j = i + 1; j < set.size(); j++) {
                double[] a = set.get(i).features();
                double[] b = set.get(j).features();
                double d2 = 0;
                for (int k = 0; k < a.length; k++) {
                    d2 += (a[k] - b[k]) * (a[k] - b[k]);
                }
                sum += Math.sqrt(d2);
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
