package io.sair.core.time;

/**
 * The job's tumbling event-time windows (offset 0, as Flink's {@code TumblingEventTimeWindows}),
 * and when a report is too late or too far ahead to count. One rule for the gate, the tests and the
 * benchmarks.
 */
public final class EventWindows {

    private EventWindows() {
    }

    /** Start of the window of size {@code sizeMs} that holds {@code ts}. */
    public static long start(long ts, long sizeMs) {
        return ts - Math.floorMod(ts, sizeMs);
    }

    /** The window's last millisecond: once the watermark reaches it, the window has fired. */
    public static long maxTimestamp(long ts, long sizeMs) {
        return start(ts, sizeMs) + sizeMs - 1;
    }

    /** A report is late when its window has already fired under {@code watermark}. */
    public static boolean late(long ts, long sizeMs, long watermark) {
        return maxTimestamp(ts, sizeMs) <= watermark;
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
