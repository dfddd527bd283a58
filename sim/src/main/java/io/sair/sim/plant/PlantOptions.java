package io.sair.sim.plant;

import io.sair.core.window.MetricsCheck;

/**
 * Knobs of the plant that are not the app's.
 *
 * @param reportPeriodMs one StageMetrics per stage this often (5 s)
 * @param maxRetries a request re-queued by this many OOM kills is dropped and counted as failed (3)
 * @param sampleLimit a period with at most this many latencies reports them as samples, else as a histogram
 * @param epochMs the wall-clock epoch of simulated time 0, for {@code ts} of the records
 * @param maxInFlight at most this many requests are inside the pipeline at once; an arrival beyond it is
 *     dropped at the door and counted as failed ({@link #MAX_IN_FLIGHT}): the memory bound of the simulator
 */
public record PlantOptions(long reportPeriodMs, int maxRetries, int sampleLimit, long epochMs, int maxInFlight) {

    /**
     * 2^20 requests (about 40 MB of request state): above the grid's largest run (1,000,000 requests), so no
     * run of the grid ever meets it, and far below what exhausts a default heap.
     */
    public static final int MAX_IN_FLIGHT = 1 << 20;

    public PlantOptions {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive, got " + maxInFlight);
        }
    }

    public PlantOptions(long reportPeriodMs, int maxRetries, int sampleLimit, long epochMs) {
        this(reportPeriodMs, maxRetries, sampleLimit, epochMs, MAX_IN_FLIGHT);
    }

    /** As a plant behind Kafka reports (the demo, the job's tests): up to 256 samples, a histogram beyond. */
    public static PlantOptions defaults() {
        return new PlantOptions(5_000, 3, 256, 0L);
    }

    /**
     * As the simulator's in-process loop reports: every latency as a sample, up to the most a report may carry
     * ({@link MetricsCheck#MAX_SAMPLES}). Nothing is serialised there, and the window's percentiles are those a
     * histogram would give ({@code LatencySamples}), while encoding, compressing and decoding a histogram per
     * report period was over a third of a run's time.
     */
    public static PlantOptions inProcess() {
        return new PlantOptions(5_000, 3, MetricsCheck.MAX_SAMPLES, 0L);
    }
}
