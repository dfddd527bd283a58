package io.sair.core.policy.baseline;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Values that each cover an interval of time (a report window), averaged over a trailing window weighted
 * by how much of each interval falls inside it. The autoscalers' windows (Knative's 6 s panic window,
 * Ray Serve's 30 s look-back) rarely align with the 5 s or 30 s report windows; weighting by overlap
 * keeps a 6 s window from counting a whole earlier 5 s report. Keeps what the longest window needs.
 */
final class TimeWindowAverage {

    private record Sample(long startMs, long endMs, double value) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();
    private final long keepMs;

    TimeWindowAverage(long keepMs) {
        this.keepMs = keepMs;
    }

    void add(long startMs, long endMs, double value) {
        if (!Double.isFinite(value) || endMs <= startMs) {
            return;
        }
        samples.addLast(new Sample(startMs, endMs, value));
        while (!samples.isEmpty() && samples.peekFirst().endMs() <= endMs - keepMs) {
            samples.removeFirst();
        }
    }

    /** The time-weighted mean over (nowMs - windowMs, nowMs]; NaN when no sample overlaps it. */
    double average(long nowMs, long windowMs) {
        long from = nowMs - windowMs;
        double weighted = 0;
        double time = 0;
        for (Sample s : samples) {
            long overlap = Math.min(s.endMs(), nowMs) - Math.max(s.startMs(), from);
            if (overlap > 0) {
                weighted += s.value() * overlap;
                time += overlap;
            }
        }
        return time > 0 ? weighted / time : Double.NaN;
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }
}
