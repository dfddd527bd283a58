package io.sair.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Selection puts at k what a sort puts there, and nothing out of order on either side of it. */
class SelectProperties {

    @Property(tries = 1000)
    void theKthIsWhatASortPutsThere(@ForAll @Size(min = 1, max = 2000) long[] values,
                                    @ForAll @LongRange(min = 1, max = 1_000_000) long spread,
                                    @ForAll @IntRange(min = 0, max = 1999) int at) {
        long[] a = Arrays.stream(values).map(v -> Math.floorMod(v, spread)).toArray(); // small spreads: many ties
        int k = at % a.length;
        long[] sorted = a.clone();
        Arrays.sort(sorted);
        Select.kth(a, 0, a.length, k);
        assertThat(a[k]).isEqualTo(sorted[k]);
        for (int i = 0; i < a.length; i++) {
            assertThat(i < k ? a[i] <= a[k] : a[i] >= a[k]).isTrue();
        }
        long[] same = a.clone();
        Arrays.sort(same);
        assertThat(same).containsExactly(sorted);
    }

    @Property(tries = 1000)
    void theKthOfFewAboveIsWhatASortPutsThereAndTheArrayStaysAsItWas(
            @ForAll @Size(min = 1, max = 2000) long[] values, @ForAll @LongRange(min = 1, max = 1_000_000) long spread,
            @ForAll @IntRange(min = 1, max = 80) int above) {
        long[] a = Arrays.stream(values).map(v -> Math.floorMod(v, spread)).toArray();
        int k = Math.max(0, a.length - above);
        long[] before = a.clone();
        long[] sorted = a.clone();
        Arrays.sort(sorted);
        assertThat(Select.kthOfFewAbove(a, a.length, k)).isEqualTo(sorted[k]);
        assertThat(a).containsExactly(before);
    }

    @Test
    void orderedReversedAndEqualInputsSelectToo() {
        for (long[] a : new long[][] {range(5000), reversed(5000), new long[5000], organPipe(5000)}) {
            long[] sorted = a.clone();
            Arrays.sort(sorted);
            for (int k : new int[] {0, 1, 2499, 4949, 4999}) {
                long[] b = a.clone();
                Select.kth(b, 0, b.length, k);
                assertThat(b[k]).isEqualTo(sorted[k]);
            }
        }
    }

    private static long[] range(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static long[] reversed(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = n - i;
        }
        return a;
    }

    private static long[] organPipe(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = Math.min(i, n - i);
        }
        return a;
    }
}
