package io.sair.connectors.otlp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns cumulative OTLP points (counters, histograms) into the delta of their period, per series (resource,
 * metric and point attributes). Plain Java, no Flink: one instance per source reader, which sees every point
 * of a series as long as the series stays on one Kafka partition (see {@link OtlpMetricsDeserializer}).
 * Not checkpointed: after a restart, or once a series was forgotten ({@code maxSeries}, least recently seen
 * first), its first point is a baseline again and counts nothing, unless the series started within one
 * report period (then all of it is that period's).
 */
final class SeriesDeltas {

    /** A series whose start is at most this far behind its first point counted all of it in this period. */
    static final long FRESH_NS = 60_000_000_000L;

    /** A cumulative value that can be subtracted from a later one of the same series. */
    interface Cumulative<T extends Cumulative<T>> {
        /** This minus {@code earlier}, or null when a count went down or the two do not compare (a reset). */
        T minus(T earlier);
    }

    /** The outcome of one point: its period's delta, a baseline (neither delta nor reason), or the reason it was refused. */
    record Step<T>(T delta, String refused) {
        static <T> Step<T> baseline() {
            return new Step<>(null, null);
        }
    }

    private record Last(long startNs, long timeNs, Object value) {
    }

    private final Map<String, Last> last;

    SeriesDeltas(int maxSeries) {
        this.last = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Last> eldest) {
                return size() > maxSeries;
            }
        };
    }

    int size() {
        return last.size();
    }

    @SuppressWarnings("unchecked")
    <T extends Cumulative<T>> Step<T> delta(String series, long startNs, long timeNs, T value) {
        Last prev = last.get(series);
        if (prev != null && timeNs <= prev.timeNs()) {
            // A repeat (a retried export) or an older point: counting it again would double the period.
            return new Step<>(null, "cumulative point at " + timeNs + " ns is not after the last one of its series ("
                    + prev.timeNs() + " ns)");
        }
        last.put(series, new Last(startNs, timeNs, value));
        if (prev == null) {
            boolean fresh = startNs > 0 && timeNs - startNs <= FRESH_NS;
            return fresh ? new Step<>(value, null) : Step.baseline();
        }
        if (startNs != prev.startNs() || !value.getClass().equals(prev.value().getClass())) {
            return new Step<>(value, null); // the counter restarted: all it holds came since its new start
        }
        T d = value.minus((T) prev.value());
        return new Step<>(d == null ? value : d, null);
    }

    /** One cumulative number (a monotonic sum). */
    record Number(double value) implements Cumulative<Number> {
        @Override
        public Number minus(Number earlier) {
            return value >= earlier.value ? new Number(value - earlier.value) : null;
        }
    }
}
