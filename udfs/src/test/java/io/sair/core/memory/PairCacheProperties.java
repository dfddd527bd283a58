package io.sair.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Experience;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The pair cache against computing every pair: over rounds of pools that keep most members, take some back from
 * rounds before, bring new episodes and now and then change the similarity, switch to episodes read back afresh
 * (equal, not the same objects) or outgrow the store, every matrix is the direct one bit for bit.
 */
class PairCacheProperties {

    @Property(tries = 200)
    void everyMatrixIsTheDirectOne(@ForAll @IntRange(min = 1, max = 60) int poolSize,
                                   @ForAll @IntRange(min = 1, max = 40) int rounds,
                                   @ForAll @IntRange(min = 2, max = 300) int maxSlots,
                                   @ForAll long seed) {
        Random rnd = new Random(seed);
        PairCache cache = new PairCache(Math.max(maxSlots, poolSize));
        List<Experience> episodes = new ArrayList<>();
        Similarity sim = new Similarity(0.5);
        List<Experience> pool = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            pool = nextPool(rnd, pool, episodes, poolSize);
            if (rnd.nextInt(10) == 0) {
                sim = new Similarity(0.05 + rnd.nextDouble());
            }
            double[] got = cache.pairs(pool, sim);
            int n = pool.size();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double want = i == j ? 0 : sim.between(pool.get(i).features(), pool.get(j).features());
                    assertThat(got[i * n + j]).as("round %d pair %d,%d", round, i, j).isEqualTo(want);
                }
            }
        }
    }

    /** Most of the last pool in a new order, some episodes seen before, some new; now and then all read back. */
    private static List<Experience> nextPool(Random rnd, List<Experience> last, List<Experience> episodes, int size) {
        if (rnd.nextInt(8) == 0) {
            List<Experience> copies = new ArrayList<>();
            for (Experience e : last) {
                copies.add(Episodes.of(e.id(), e.reward(), e.features().clone()));
            }
            return copies;
        }
        List<Experience> next = new ArrayList<>();
        for (Experience e : last) {
            if (rnd.nextInt(4) != 0) {
                next.add(e);
            }
        }
        while (next.size() < size) {
            Experience e = !episodes.isEmpty() && rnd.nextBoolean() ? episodes.get(rnd.nextInt(episodes.size()))
                    : fresh(rnd, episodes);
            if (!next.contains(e)) {
                next.add(e);
            }
        }
        Collections.shuffle(next, rnd);
        return next;
    }

    private static Experience fresh(Random rnd, List<Experience> episodes) {
        double[] f = new double[rnd.nextInt(12) == 0 ? 5 : 6]; // now and then a vector of another shape (similarity 0)
        for (int k = 0; k < f.length; k++) {
            f[k] = rnd.nextDouble();
        }
        Experience e = Episodes.of(episodes.size(), rnd.nextDouble(), f);
        episodes.add(e);
        return e;
    }
}
