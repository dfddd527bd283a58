package io.sair.core.window;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;

/**
 * One stage's reports of one window folded at once, when the window closes: latencies are kept as samples
 * ({@link LatencySamples}, the percentiles of an HdrHistogram) and encoded never, so a report costs a few
 * additions instead of a decode and re-encode of the window's histograms. The job's windows (which keep the
 * reports until they close) and the simulator fold through this one class, with {@link StageAggregator}'s rules.
 */
public final class StageFold {

    private StageAccumulator acc = new StageAccumulator();
    private final LatencySamples latency = new LatencySamples();
    private final LatencySamples e2eLatency = new LatencySamples();

    /** Empties the fold for the next window: its buffers are kept (allocating them costs more than a report). */
    public void reset() {
        acc = new StageAccumulator();
        latency.reset();
        e2eLatency.reset();
    }

    public void add(StageMetrics m) {
        StageAggregator.addAllButLatencies(m, acc);
        latency.add(m.latencyMs(), m.latencyHist());
        e2eLatency.add(m.e2eLatencyMs(), m.e2eLatencyHist());
    }

    /** Whether any report was folded in (an empty fold makes no window). */
    public boolean isEmpty() {
        return acc.reports == 0;
    }

    public StageWindow result(long windowStart, long windowEnd) {
        double[] p50p99 = latency.percentilesMs(50, 99);
        return StageAggregator.result(acc, windowStart, windowEnd, p50p99[0], p50p99[1],
                e2eLatency.percentilesMs(99)[0], e2eLatency.count());
    }
}
