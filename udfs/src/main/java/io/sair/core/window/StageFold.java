package io.sair.core.window;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import org.HdrHistogram.Histogram;

/**
 * One stage's reports of one window folded at once, when the window closes: latencies go into live
 * histograms and are encoded never, so a report costs a few additions instead of a decode and re-encode
 * of the window's histograms. The job's windows (which keep the reports in list state until they fire)
 * and the simulator fold through this one class, with {@link StageAggregator}'s rules.
 */
public final class StageFold {

    private StageAccumulator acc = new StageAccumulator();
    private final Histogram latency = LatencyHistograms.empty();
    private final Histogram e2eLatency = LatencyHistograms.empty();

    /** Empties the fold for the next window: its histograms are kept (allocating them costs more than a report). */
    public void reset() {
        acc = new StageAccumulator();
        // A reset clears every bucket: skipped for a histogram that nothing was recorded in (most e2e ones).
        if (latency.getTotalCount() > 0) {
            latency.reset();
        }
        if (e2eLatency.getTotalCount() > 0) {
            e2eLatency.reset();
        }
    }

    public void add(StageMetrics m) {
        StageAggregator.addAllButLatencies(m, acc);
        LatencyHistograms.add(latency, m.latencyMs(), m.latencyHist());
        LatencyHistograms.add(e2eLatency, m.e2eLatencyMs(), m.e2eLatencyHist());
    }

    /** Whether any report was folded in (an empty fold makes no window). */
    public boolean isEmpty() {
        return acc.reports == 0;
    }

    public StageWindow result(long windowStart, long windowEnd) {
        return StageAggregator.result(acc, windowStart, windowEnd, latency, e2eLatency);
    }
}
