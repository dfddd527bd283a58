package io.sair.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Four kernels at a time are the one-at-a-time kernels bit for bit, with vectors of other shape and nulls among them. */
class SimilarityProperties {

    @Property(tries = 300)
    void manyIsBetweenForEach(@ForAll @IntRange(min = 0, max = 40) int count,
                              @ForAll @IntRange(min = 0, max = 24) int dims,
                              @ForAll @IntRange(min = 0, max = 5) int from,
                              @ForAll @IntRange(min = 0, max = 7) int at,
                              @ForAll long seed) {
        Random rnd = new Random(seed);
        Similarity sim = new Similarity(0.05 + rnd.nextDouble());
        double[] a = rnd.nextInt(20) == 0 ? null : vector(rnd, dims);
        double[][] bs = new double[from + count + rnd.nextInt(3)][];
        for (int m = 0; m < bs.length; m++) {
            int shape = rnd.nextInt(10);
            bs[m] = shape == 0 ? null : shape == 1 ? vector(rnd, dims + 1) : shape == 2 && a != null ? a.clone()
                    : vector(rnd, dims);
        }
        double[] out = new double[at + count + 2];
        sim.many(a, bs, from, from + count, out, at);
        for (int m = 0; m < out.length; m++) {
            if (m >= at && m < at + count) {
                assertThat(out[m]).as("kernel %d", m).isEqualTo(sim.between(a, bs[from + m - at]));
            } else {
                assertThat(out[m]).as("untouched %d", m).isEqualTo(0.0);
            }
        }
    }

    private static double[] vector(Random rnd, int dims) {
        double[] v = new double[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = rnd.nextInt(5) == 0 ? rnd.nextInt(2) : rnd.nextDouble() * (rnd.nextBoolean() ? 1 : 1e-3);
        }
        return v;
    }
}
