package io.sair.core.policy;

import java.util.Arrays;

/**
 * How far arrivals have moved within one scale-up delay, lately: between a window's arrival rate and each rate of
 * the windows that ended within {@link #SPAN_MS} before it, the larger over the smaller, the largest such move
 * remembered and fading with a half-life. This is the headroom a stage must keep when it shrinks: capacity ordered
 * when load rises serves a decision, a pod start-up and the window that shows it later (30 s, 15-60 s, 30 s), and
 * until then the stage carries the rise alone. A fall counts as much as a rise: the end of a burst is as steep as
 * its start, and the next burst can be too.
 *
 * <p>Why beside {@link LoadPeak}: the remembered peak holds, at every level below it, enough for the peak itself.
 * On load that moves slowly (a diurnal wave, a ramp) that is capacity for an hour's growth kept through the trough,
 * where the loop follows the wave one window at a time. A sudden step measures what the peak does (a burst from the
 * calm is the same factor), so the headroom kept is the smaller of the two ({@link #peakToKeep}): no more than the
 * load has been seen to move within the delay, and never above the peak it has been seen to reach. Nothing here
 * needs the load to be periodic.
 *
 * @param recentRates arrival rates of the last windows, oldest first (those within the span of the next)
 * @param recentEnds their window ends, event time
 * @param rise the largest move remembered (1: none)
 * @param riseAtMs the end of the window that moved so
 */
public record LoadRise(double[] recentRates, long[] recentEnds, double rise, long riseAtMs) {

    /**
     * One scale-up delay: the window that shows a rise (30 s), the round that orders capacity, a pod's start-up (up
     * to 60 s), and a window more for steps that take a minute or two to rise.
     */
    public static final long SPAN_MS = 150_000L;

    /** The most a rise counts for (a stage that had no arrivals at all rises without bound). */
    static final double MAX_RISE = 20.0;

    /** Windows kept, whatever their length (rounds shorter than the span keep several). */
    private static final int MAX_RECENT = 32;

    public LoadRise {
        recentRates = recentRates == null ? new double[0] : recentRates;
        recentEnds = recentEnds == null ? new long[0] : recentEnds;
        if (recentRates.length != recentEnds.length) {
            throw new IllegalArgumentException("recentRates and recentEnds differ in length");
        }
    }

    public static LoadRise none() {
        return new LoadRise(new double[0], new long[0], 1.0, Long.MIN_VALUE);
    }

    /** The remembered rise as of {@code nowMs}, faded towards 1 by the half-life. */
    public double at(long nowMs, long halfLifeMs) {
        if (riseAtMs == Long.MIN_VALUE || !(rise > 1.0)) {
            return 1.0;
        }
        double ageMs = Math.max(0, nowMs - riseAtMs);
        return 1.0 + (rise - 1.0) * Math.pow(0.5, ageMs / halfLifeMs);
    }

    /** This record after a window with {@code arrivalRate} ending at {@code endMs}; older or repeated windows change nothing. */
    public LoadRise observe(double arrivalRate, long endMs, long halfLifeMs) {
        if (!(arrivalRate >= 0) || Double.isInfinite(arrivalRate)
                || recentEnds.length > 0 && endMs <= recentEnds[recentEnds.length - 1]) {
            return this;
        }
        double r = 1.0;
        for (int i = 0; i < recentEnds.length; i++) {
            if (endMs - recentEnds[i] <= SPAN_MS) {
                r = Math.max(r, Math.max(ratio(arrivalRate, recentRates[i]), ratio(recentRates[i], arrivalRate)));
            }
        }
        boolean higher = r > 1.0 && r >= at(endMs, halfLifeMs);
        int keepFrom = 0;
        while (keepFrom < recentEnds.length
                && (endMs - recentEnds[keepFrom] >= SPAN_MS || recentEnds.length - keepFrom >= MAX_RECENT)) {
            keepFrom++;
        }
        int n = recentEnds.length - keepFrom;
        double[] rates = Arrays.copyOf(Arrays.copyOfRange(recentRates, keepFrom, recentRates.length), n + 1);
        long[] ends = Arrays.copyOf(Arrays.copyOfRange(recentEnds, keepFrom, recentEnds.length), n + 1);
        rates[n] = arrivalRate;
        ends[n] = endMs;
        return new LoadRise(rates, ends, higher ? r : rise, higher ? endMs : riseAtMs);
    }

    /** How many times {@code low} {@code high} is: at least 1, at most {@link #MAX_RISE}. */
    static double ratio(double high, double low) {
        if (high <= low) {
            return 1.0;
        }
        return low > 0 ? Math.min(MAX_RISE, high / low) : MAX_RISE;
    }

    /**
     * The load a shrinking stage must stay ready for: the remembered peak, but no more than the arrival rate now
     * times the remembered rise. 0 when no peak is known (the check then holds for today's load).
     */
    public static double peakToKeep(double peakRate, double arrivalRate, double rise) {
        if (!(peakRate > 0) || !(arrivalRate > 0)) {
            return peakRate;
        }
        return Math.min(peakRate, arrivalRate * Math.max(1.0, rise));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadRise r && Arrays.equals(recentRates, r.recentRates)
                && Arrays.equals(recentEnds, r.recentEnds) && Double.compare(rise, r.rise) == 0 && riseAtMs == r.riseAtMs;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(recentRates) + Arrays.hashCode(recentEnds)) + Double.hashCode(rise)
                + Long.hashCode(riseAtMs);
    }

    @Override
    public String toString() {
        return "LoadRise[rise=" + rise + ", riseAtMs=" + riseAtMs + ", recent=" + recentRates.length + "]";
    }
}
