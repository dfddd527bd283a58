package io.sair.flink;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed value state held in memory between checkpoints, up to a weight budget: reads of a held key cost
 * nothing, and its writes reach the state backend once per checkpoint ({@link #flush}, called from the
 * operator's {@code snapshotState}, before the keyed backend takes its snapshot), not once per update. With
 * RocksDB a read is a lookup, a decompression and a deserialisation, and it was a third of the controller's
 * time on a fleet; the values are immutable records, so holding the object is holding the state.
 *
 * <p>The budget bounds what is held: a key is held while the total weight stays within it; past it, the key
 * is read and written through as before. Keys are not evicted to make room: every pipeline comes back every
 * round, so an evicting cache over more keys than it holds would miss on every read; holding a fixed share
 * hits that share.
 *
 * <p>Every access is for the operator's current key (the backend reads and writes that key's value), which the
 * caller passes as {@code key} too.
 */
final class HeldState<V> {

    private static final class Slot<V> {
        V value;
        long weight;
        boolean dirty;
    }

    private final ValueState<V> backend;
    private final ToLongFunction<V> weigher;
    private final long budget;
    private final Map<Object, Slot<V>> held = new HashMap<>();
    private long weight;

    /**
     * @param weigher a value's weight (for the controller: 1 + its experiences)
     * @param budget the most weight held; 0 holds nothing
     */
    HeldState(ValueState<V> backend, ToLongFunction<V> weigher, long budget) {
        this.backend = backend;
        this.weigher = weigher;
        this.budget = budget;
    }

    /** The current key's value (null when it has none). */
    V value(Object key) throws IOException {
        Slot<V> s = held.get(key);
        if (s != null) {
            return s.value;
        }
        V v = backend.value();
        if (v != null) {
            hold(key, v, false);
        }
        return v;
    }

    /** Sets the current key's value: held (written at the next {@link #flush}), or written through. */
    void update(Object key, V v) throws IOException {
        Slot<V> s = held.remove(key);
        if (s != null) {
            weight -= s.weight;
        }
        if (!hold(key, v, true)) {
            backend.update(v);
        }
    }

    /** Forgets the key without writing it (its state is being cleared). */
    void drop(Object key) {
        Slot<V> s = held.remove(key);
        if (s != null) {
            weight -= s.weight;
        }
    }

    /** Writes every value changed since the last flush, setting each one's key first ({@code setKey}). */
    void flush(Consumer<Object> setKey) throws IOException {
        for (Map.Entry<Object, Slot<V>> e : held.entrySet()) {
            Slot<V> s = e.getValue();
            if (s.dirty) {
                setKey.accept(e.getKey());
                backend.update(s.value);
                s.dirty = false;
            }
        }
    }

    /** Keys held now (for tests). */
    int size() {
        return held.size();
    }

    private boolean hold(Object key, V v, boolean dirty) {
        long w = weigher.applyAsLong(v);
        if (weight + w > budget) {
            return false;
        }
        Slot<V> s = new Slot<>();
        s.value = v;
        s.weight = w;
        s.dirty = dirty;
        held.put(key, s);
        weight += w;
        return true;
    }
}
