package io.sair.sim.plant;

import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * What a run amounts to when it is read: every request's end-to-end latency, the counts, and the spend.
 * Built by {@link PipelinePlant#totals()}; nothing in it changes afterwards (the histogram is a copy).
 *
 * @param e2eMicros end-to-end latencies in microseconds (requests abandoned at a cut-short end count with their age)
 * @param dropped arrivals refused because maxInFlight requests were inside; also counted in arrived and failed
 * @param abandoned requests still inside when the run was cut short (their age is in the histogram)
 * @param firstArrivalMs when the first request arrived; 0 when none has
 * @param lastCompletionMs when the last completed request left; 0 when none has
 * @param endMs when the last request of the workload left, or the plant's time now while some are still to come or inside
 * @param spent spend up to the plant's last event
 * @param spentAtEnd spend up to {@code endMs}: the run's own cost, without the idle time a caller advanced past its end
 */
public record Totals(Histogram e2eMicros, long arrived, long completed, long failed, long slaViolations, long oomKills,
                     long dropped, long abandoned, double firstArrivalMs, double lastCompletionMs, double endMs,
                     Spend spent, Spend spentAtEnd) {

    public Totals {
        Objects.requireNonNull(e2eMicros, "e2eMicros");
        Objects.requireNonNull(spent, "spent");
        Objects.requireNonNull(spentAtEnd, "spentAtEnd");
        if (arrived < 0 || completed < 0 || failed < 0 || slaViolations < 0 || oomKills < 0 || dropped < 0
                || abandoned < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
        if (completed + failed > arrived || dropped > failed) {
            throw new IllegalArgumentException("completed + failed <= arrived and dropped <= failed, got " + completed
                    + " + " + failed + " of " + arrived + ", " + dropped + " dropped");
        }
    }

    /**
     * Money and pod time integrated over simulated time.
     *
     * @param podMs integral of existing pods over simulated time (pod-ms)
     */
    public record Spend(double billableDollars, double effectiveDollars, double podMs) {
    }
}
