package io.sair.sim.plant;

/**
 * Knobs of the plant that are not the app's.
 *
 * @param reportPeriodMs one StageMetrics per stage this often (5 s)
 * @param maxRetries a request re-queued by this many OOM kills is dropped and counted as failed (3)
 * @param sampleLimit a period with at most this many latencies reports them as samples, else as a histogram
 * @param epochMs the wall-clock epoch of simulated time 0, for {@code ts} of the records
 */
public record PlantOptions(long reportPeriodMs, int maxRetries, int sampleLimit, long epochMs) {

    public static PlantOptions defaults() {
        return new PlantOptions(5_000, 3, 256, 0L);
    }
}
