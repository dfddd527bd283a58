package io.sair.core.policy;

/**
 * The highest arrival rate seen lately, fading with a half-life: how much load the pipeline must be
 * ready for when it shrinks. Bursts come back (a spike every ten minutes is common); a controller
 * that shrinks to the calm between them meets every spike with a backlog. HPA's scale-down
 * stabilisation window plays the same part, with a hard edge instead of a fade.
 *
 * @param rate the remembered peak, requests per second
 * @param atMs event time of the window that set it
 */
public record LoadPeak(double rate, long atMs) {

    public static final long DEFAULT_HALF_LIFE_MS = 60 * 60_000L;

    public static LoadPeak none() {
        return new LoadPeak(0.0, Long.MIN_VALUE);
    }

    /** The remembered peak as of {@code nowMs}, faded by the half-life. */
    public double at(long nowMs, long halfLifeMs) {
        if (atMs == Long.MIN_VALUE || rate <= 0) {
            return 0.0;
        }
        double ageMs = Math.max(0, nowMs - atMs);
        return rate * Math.pow(0.5, ageMs / halfLifeMs);
    }

    /** This peak after a window with {@code arrivalRate} ending at {@code nowMs}. */
    public LoadPeak observe(double arrivalRate, long nowMs, long halfLifeMs) {
        if (!(arrivalRate >= 0) || Double.isInfinite(arrivalRate)) {
            return this;
        }
        return arrivalRate >= at(nowMs, halfLifeMs) ? new LoadPeak(arrivalRate, nowMs) : this;
    }
}
