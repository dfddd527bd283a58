package io.sair.core.time;

/**
 * The job's tumbling event-time windows, and when a report is too late or too far ahead to count. One rule
 * for the gate, the windows, the tests and the benchmarks.
 *
 * <p>Windows start at the epoch plus an offset (0: as Flink's {@code TumblingEventTimeWindows}). Staggered,
 * each pipeline's windows start at its own {@link #offset} within the window, spread over the fleet by the
 * name's hash: with aligned windows every pipeline's round closes at the same watermark, and a fleet's
 * thousands of rounds (and their Kubernetes patches) queue up behind it once every 30 s.
 */
public final class EventWindows {

    private EventWindows() {
    }

    /** Start of the window of size {@code sizeMs} that holds {@code ts}. */
    public static long start(long ts, long sizeMs) {
        return start(ts, sizeMs, 0);
    }

    /** Start of the window of size {@code sizeMs}, starting at {@code offsetMs} past the epoch's grid, that holds {@code ts}. */
    public static long start(long ts, long sizeMs, long offsetMs) {
        return ts - Math.floorMod(ts - offsetMs, sizeMs);
    }

    /**
     * Where a pipeline's windows start within {@code sizeMs}: 0 when not staggered; staggered, the name's hash
     * (specified by {@link String#hashCode}, so the same in every JVM and after every restore) mixed and taken
     * modulo the size, so that consecutive names spread as evenly as random ones. Any window that divides
     * {@code sizeMs} (the fast path's) shifts by the same offset and stays inside its round.
     */
    public static long offset(String pipeline, long sizeMs, boolean staggered) {
        if (!staggered) {
            return 0;
        }
        int h = pipeline.hashCode(); // MurmurHash3's finaliser: every input bit moves every output bit
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod((long) h, sizeMs);
    }

    /** The window's last millisecond: once the watermark reaches it, the window has fired. */
    public static long maxTimestamp(long ts, long sizeMs) {
        return start(ts, sizeMs) + sizeMs - 1;
    }

    /** A report is late when its window has already fired under {@code watermark}. */
    public static boolean late(long ts, long sizeMs, long watermark) {
        return late(ts, sizeMs, 0, watermark);
    }

    /** A report is late when its window (starting at {@code offsetMs} on the grid) has already fired under {@code watermark}. */
    public static boolean late(long ts, long sizeMs, long offsetMs, long watermark) {
        return start(ts, sizeMs, offsetMs) + sizeMs - 1 <= watermark;
    }

    /**
     * How far a report is ahead of what the job trusts, in ms (0 when not ahead): the job's clock
     * ({@code nowMs}) bounds every report, and the event time the partitions vouch for
     * ({@code watermark}, {@link Long#MIN_VALUE} before the first) bounds it once there is one.
     * A report more than {@code maxAheadMs} ahead is refused, so it cannot open windows far in the
     * future of its pipeline.
     */
    public static long ahead(long ts, long watermark, long nowMs) {
        long ofClock = ts <= nowMs ? 0 : ts - nowMs;
        long ofWatermark = watermark == Long.MIN_VALUE || ts <= watermark ? 0 : ts - watermark;
        return Math.max(ofClock, ofWatermark);
    }
}
