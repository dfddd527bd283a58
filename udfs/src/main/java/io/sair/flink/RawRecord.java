package io.sair.flink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Kafka record as it arrived, kept so that a dead letter can carry it: where it came from, its key,
 * headers and value. Built through {@link #bounded}, it holds at most a bounded prefix of each, so that
 * neither the job's state nor its dead-letter producer ever holds a record larger than the limits below,
 * whatever a topic writer sends.
 *
 * @param headers the original headers, in order, up to {@link #MAX_HEADER_BYTES}; null in state written
 *                before headers were kept
 * @param valueBytes the size of the value as received ({@code -1} for none); larger than {@code value.length}
 *                   when only a prefix was kept. 0 in state written before sizes were kept
 */
public record RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                        List<RawHeader> headers, int valueBytes) {

    /** A key longer than any pipeline name can be keeps this prefix (it names nothing either way). */
    public static final int MAX_KEY_BYTES = 1024;
    /** Original headers are kept, in order, while their keys and values sum to at most this. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    /** A record with everything kept (files, resources, tests): the value is taken whole. */
    public RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this(topic, partition, offset, timestamp, key, value, List.of(), value == null ? -1 : value.length);
    }

    /**
     * The record with its value cut to {@code maxValueBytes} (the rest is never needed: a value over the
     * limit is dead-lettered unparsed), its key to {@link #MAX_KEY_BYTES} and its headers to
     * {@link #MAX_HEADER_BYTES}.
     */
    public static RawRecord bounded(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                                    List<RawHeader> headers, int maxValueBytes) {
        return new RawRecord(topic, partition, offset, timestamp, key, value, headers, value == null ? -1 : value.length)
                .bounded(maxValueBytes);
    }

    /** This record within the bounds of {@link #bounded(String, int, long, long, byte[], byte[], List, int)}. */
    public RawRecord bounded(int maxValueBytes) {
        List<RawHeader> kept = new ArrayList<>();
        long size = 0;
        for (RawHeader h : headers == null ? List.<RawHeader>of() : headers) {
            size += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
            if (size > MAX_HEADER_BYTES) {
                break;
            }
            kept.add(h);
        }
        return new RawRecord(topic, partition, offset, timestamp, prefix(key, MAX_KEY_BYTES), prefix(value, maxValueBytes),
                kept, receivedValueBytes());
    }

    /** Whether the value was cut: the record held more than {@link #value()} carries. */
    public boolean truncated() {
        return value != null && valueBytes > value.length;
    }

    /** The size of the value as received, also for records built before sizes were kept. */
    public int receivedValueBytes() {
        if (value == null) {
            return -1;
        }
        return Math.max(valueBytes, value.length);
    }

    public String keyString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    private static byte[] prefix(byte[] b, int max) {
        return b == null || b.length <= max ? b : Arrays.copyOf(b, Math.max(0, max));
    }
}
