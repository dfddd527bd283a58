package io.sair.core.window;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A report's latency samples (ms, two decimals as a report carries them) as a read-only {@code List<Double>} over
 * their hundredths of a ms in a {@code long[]}: what a report carries when it is made and read in one process (the
 * simulator writes one every 5 s per stage, and boxing each latency into a {@code Double} and out again was a tenth
 * of a run). It serialises as any list does; a deserialised report carries a plain list. {@link LatencySamples} reads
 * the hundredths without boxing, dividing or rounding again.
 */
public final class SampleList extends AbstractList<Double> implements RandomAccess {

    private final long[] hundredths;

    private SampleList(long[] hundredths) {
        this.hundredths = hundredths;
    }

    /** The first {@code n} latencies of {@code ms}, each rounded to a hundredth of a ms. */
    public static SampleList ofMs(double[] ms, int n) {
        long[] h = new long[n];
        for (int i = 0; i < n; i++) {
            h[i] = Math.round(ms[i] * 100.0);
        }
        return new SampleList(h);
    }

    /** The i-th sample in hundredths of a ms. */
    long hundredths(int i) {
        return hundredths[i];
    }

    @Override
    public Double get(int i) {
        return hundredths[i] / 100.0;
    }

    @Override
    public int size() {
        return hundredths.length;
    }
}
