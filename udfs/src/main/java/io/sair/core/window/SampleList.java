package io.sair.core.window;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A report's latency samples (ms) as a read-only {@code List<Double>} over a {@code double[]}: what a report carries
 * when it is made and read in one process (the simulator writes one every 5 s per stage, and boxing each latency
 * into a {@code Double} and out again was a tenth of a run). It serialises as any list does; a deserialised
 * report carries a plain list. {@link LatencySamples} reads it without boxing.
 */
public final class SampleList extends AbstractList<Double> implements RandomAccess {

    private final double[] ms;

    /** Over {@code ms}, which the caller hands over and no longer writes. */
    public SampleList(double[] ms) {
        this.ms = ms;
    }

    /** The i-th sample, unboxed. */
    public double at(int i) {
        return ms[i];
    }

    @Override
    public Double get(int i) {
        return ms[i];
    }

    @Override
    public int size() {
        return ms.length;
    }
}
