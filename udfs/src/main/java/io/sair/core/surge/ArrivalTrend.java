package io.sair.core.surge;

import io.sair.core.model.PipelineContext;
import java.util.Arrays;

/**
 * How fast a pipeline's arrivals are rising, read from its last report periods (the fast path's short windows):
 * InferLine's arrival envelope, on what one node sees. A pod ordered now serves after its start-up, so a load that
 * rises for a minute (a flash crowd building, a diurnal spike) has outrun the capacity ordered on its present rate
 * by the time that capacity serves; the fast path's panic mark judges the rate projected over its horizon instead,
 * so the order goes out while the load is still rising ({@link SurgeRule}).
 *
 * <p>A rise counts only where it is a trend: a straight line fits the last {@link #PERIODS} periods within their
 * Poisson noise (a step, such as a burst's onset, is no line: its rate is what it is, and projecting the jump would
 * buy for a rate that never comes), and the slope less two standard errors is still a rise. The projection is that
 * cautious slope over the horizon. Nothing here assumes the load is periodic, and a steady load projects nothing.
 *
 * @param ends the periods' ends (event time, ms), oldest first
 * @param rates their arrival rates (requests per second)
 * @param seconds their lengths (seconds)
 */
public record ArrivalTrend(long[] ends, double[] rates, double[] seconds) {

    /** Periods fitted: four report periods (20 s at the 5 s cadence), enough for a line and its misfit. */
    static final int PERIODS = 4;

    /** Oldest period a fit may reach back to, from the newest: one round (a skipped period is allowed). */
    static final long SPAN_MS = 30_000L;

    /** The chi-square a line's misfit may reach, by degrees of freedom (1, 2), before it is no line (95 %). */
    private static final double[] CHI_SQUARE_95 = {0, 3.84, 5.99};

    public ArrivalTrend {
        if (ends.length != rates.length || ends.length != seconds.length) {
            throw new IllegalArgumentException("ends, rates and seconds differ in length");
        }
    }

    public static ArrivalTrend none() {
        return new ArrivalTrend(new long[0], new double[0], new double[0]);
    }

    /** This trend after one report period's short window (its pipeline's arrival rate). */
    public ArrivalTrend observe(PipelineContext period) {
        return period.stages().isEmpty() ? this
                : observe(period.windowEnd(), period.arrivalRate(), period.stages().get(0).windowSeconds());
    }

    /** This trend after a period ending at {@code endMs}; older or repeated periods change nothing. */
    public ArrivalTrend observe(long endMs, double rate, double periodSeconds) {
        if (!(rate >= 0) || Double.isInfinite(rate) || !(periodSeconds > 0)
                || ends.length > 0 && endMs <= ends[ends.length - 1]) {
            return this;
        }
        int from = Math.max(0, ends.length - PERIODS + 1);
        int n = ends.length - from;
        long[] e = Arrays.copyOf(Arrays.copyOfRange(ends, from, ends.length), n + 1);
        double[] r = Arrays.copyOf(Arrays.copyOfRange(rates, from, rates.length), n + 1);
        double[] s = Arrays.copyOf(Arrays.copyOfRange(seconds, from, seconds.length), n + 1);
        e[n] = endMs;
        r[n] = rate;
        s[n] = periodSeconds;
        return new ArrivalTrend(e, r, s);
    }

    /**
     * How many times the newest period's rate the arrivals are projected to be {@code horizonMs} later: 1 where no
     * rise is a trend (fewer than {@link #PERIODS} periods within {@link #SPAN_MS}, no line fits, or the cautious
     * slope is no rise).
     */
    public double growth(long horizonMs) {
        int n = ends.length;
        if (n < PERIODS || ends[n - 1] - ends[0] > SPAN_MS || !(rates[n - 1] > 0)) {
            return 1.0;
        }
        // Over all the periods and over the newest but one: a step some periods ago (a burst's onset) followed by a
        // level is a rise over the four that is over by now.
        double slope = Math.min(cautiousSlope(0), cautiousSlope(1));
        return slope > 0 ? 1.0 + slope * horizonMs / 1000.0 / rates[n - 1] : 1.0;
    }

    /**
     * The slope (requests per second, per second) of the weighted least-squares line through the periods from
     * {@code from} on, less two standard errors; NaN where the line misfits them beyond their Poisson noise (95 %).
     */
    private double cautiousSlope(int from) {
        int n = ends.length;
        double sw = 0;
        double st = 0;
        double sr = 0;
        double[] t = new double[n];
        double[] w = new double[n];
        for (int i = from; i < n; i++) {
            t[i] = (ends[i] - ends[n - 1]) / 1000.0;
            // Each period weighed by its Poisson variance (rate / length), floored at one request per period so that
            // an idle one does not count as exact.
            w[i] = seconds[i] / Math.max(rates[i], 1.0 / seconds[i]);
            sw += w[i];
            st += w[i] * t[i];
            sr += w[i] * rates[i];
        }
        double tm = st / sw;
        double rm = sr / sw;
        double stt = 0;
        double str = 0;
        for (int i = from; i < n; i++) {
            stt += w[i] * (t[i] - tm) * (t[i] - tm);
            str += w[i] * (t[i] - tm) * (rates[i] - rm);
        }
        if (!(stt > 0)) {
            return Double.NaN;
        }
        double slope = str / stt;
        double misfit = 0;
        for (int i = from; i < n; i++) {
            double res = rates[i] - (rm + slope * (t[i] - tm));
            misfit += w[i] * res * res;
        }
        int freedom = n - from - 2;
        return misfit > CHI_SQUARE_95[freedom] ? Double.NaN : slope - 2.0 / Math.sqrt(stt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrivalTrend a && Arrays.equals(ends, a.ends) && Arrays.equals(rates, a.rates)
                && Arrays.equals(seconds, a.seconds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ends) + Arrays.hashCode(rates)) + Arrays.hashCode(seconds);
    }

    @Override
    public String toString() {
        return "ArrivalTrend" + Arrays.toString(rates);
    }
}
