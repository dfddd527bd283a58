package io.sair.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Experience;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The candidate pool (a bounded heap over the buffer) against sorting every episode. */
class PoolProperties {

    @Property(tries = 500)
    void thePoolIsTheMostSimilarByAFullSort(@ForAll @IntRange(min = 1, max = 2_000) int n,
                                            @ForAll @IntRange(min = 1, max = 300) int poolSize,
                                            @ForAll @IntRange(min = 1, max = 12) int dims,
                                            @ForAll @IntRange(min = 1, max = 40) int distinct,
                                            @ForAll long seed) {
        Random rnd = new Random(seed);
        // Few distinct vectors (many exact ties), ids out of order, now and then a vector of another shape.
        double[][] shapes = new double[distinct][];
        for (int k = 0; k < distinct; k++) {
            shapes[k] = vector(rnd, rnd.nextInt(8) == 0 ? dims + 1 : dims);
        }
        List<Experience> buffer = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = rnd.nextBoolean() ? i : rnd.nextInt(4 * n);
            double[] f = shapes[rnd.nextInt(distinct)];
            if (rnd.nextInt(3) == 0) {
                // A hair apart from another shape: distances that differ in their last bits only.
                f = f.clone();
                f[0] = Math.nextUp(f[0]);
            }
            buffer.add(Episodes.of(id, rnd.nextDouble(), f));
        }
        double[] query = rnd.nextBoolean() ? shapes[0].clone() : vector(rnd, dims);
        Similarity sim = new Similarity(0.05 + rnd.nextDouble());
        SurprisalRetriever r = new SurprisalRetriever(sim, 0.5, 0.1, poolSize);

        List<Experience> expected = new ArrayList<>(buffer);
        expected.sort(Comparator.comparingDouble((Experience e) -> -sim.between(query, e.features()))
                .thenComparingLong(Experience::id));
        List<Experience> pool = r.pool(query, buffer);
        if (buffer.size() <= poolSize) {
            assertThat(pool).isSameAs(buffer);
            return;
        }
        // Same episodes in the same order (identity: equal ids may repeat).
        assertThat(pool).hasSize(poolSize);
        for (int i = 0; i < poolSize; i++) {
            assertThat(sim.between(query, pool.get(i).features())).isEqualTo(sim.between(query, expected.get(i).features()));
            assertThat(pool.get(i).id()).isEqualTo(expected.get(i).id());
        }
    }

    private static double[] vector(Random rnd, int dims) {
        double[] v = new double[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = rnd.nextInt(4) == 0 ? 0.0 : rnd.nextDouble();
        }
        return v;
    }
}
