package io.sair.sim.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The hindsight's radix sort of costs against {@link Arrays#sort(double[])}, bit for bit. */
class SortProperties {

    @Property(tries = 300)
    void sortsAsArraysSortDoes(@ForAll @IntRange(min = 0, max = 5_000) int n, @ForAll @IntRange(min = 0, max = 5) int kind,
                               @ForAll long seed) {
        Random rnd = new Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = switch (kind) {
                case 0 -> rnd.nextDouble() * 1e-3;                          // costs: small, all digits differ
                case 1 -> rnd.nextInt(5) * 0.25;                            // many ties, zeros
                case 2 -> Math.exp(rnd.nextGaussian() * 20);                // many exponents, subnormal-free
                case 3 -> rnd.nextInt(50) == 0 ? Double.POSITIVE_INFINITY : Double.MIN_VALUE * rnd.nextInt(3);
                case 4 -> rnd.nextInt(20) == 0 ? -rnd.nextDouble() : rnd.nextDouble(); // a negative: the fallback
                default -> rnd.nextInt(20) == 0 ? (rnd.nextBoolean() ? Double.NaN : -0.0) : rnd.nextDouble();
            };
        }
        double[] expected = a.clone();
        Arrays.sort(expected);
        Hindsight.sortAscending(a);
        for (int i = 0; i < n; i++) {
            assertThat(Double.doubleToRawLongBits(a[i])).isEqualTo(Double.doubleToRawLongBits(expected[i]));
        }
    }
}
