package io.sair.sim.plant;

import org.HdrHistogram.Histogram;

/** The run's counters while it runs, written by the plant and its stages; read out as {@link Totals}. */
final class RunTally {

    private final double slaMs;
    final Histogram e2eMicros = new Histogram(3);
    long arrived;
    long completed;
    long failed;
    long slaViolations;
    long oomKills;
    long dropped;
    long abandoned;
    double billableDollars;
    double effectiveDollars;
    double podMs;
    private double firstArrivalMs;
    private double lastCompletionMs;
    private boolean ended;
    private double endMs;
    private Totals.Spend atEnd;

    RunTally(double slaMs) {
        this.slaMs = slaMs;
        e2eMicros.setAutoResize(true);
    }

    void arrival(double now) {
        arrived++;
        if (arrived == 1) {
            firstArrivalMs = now;
        }
    }

    void completed(double e2eMs, double now) {
        e2eMicros.recordValue(Math.max(1L, (long) (e2eMs * 1000.0)));
        completed++;
        if (e2eMs > slaMs) {
            slaViolations++;
        }
        lastCompletionMs = now;
    }

    /** A request still inside when the run is cut short: its age so far is its latency. */
    void abandoned(double ageMs) {
        e2eMicros.recordValue(Math.max(1L, (long) (ageMs * 1000.0)));
        abandoned++;
    }

    /** The last request has left; the caller has brought every stage's spend up to now. */
    void ended(double now) {
        ended = true;
        endMs = now;
        atEnd = spent();
    }

    private Totals.Spend spent() {
        return new Totals.Spend(billableDollars, effectiveDollars, podMs);
    }

    Totals totals(double now) {
        Totals.Spend sofar = spent();
        return new Totals(e2eMicros.copy(), arrived, completed, failed, slaViolations, oomKills, dropped, abandoned,
                firstArrivalMs, lastCompletionMs, ended ? endMs : now, sofar, ended ? atEnd : sofar);
    }
}
