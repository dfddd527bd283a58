package io.sair.flink;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed value state read through memory, up to a weight budget: reads of a held key cost nothing, and every
 * write goes to the state backend at once as well (so a checkpoint has nothing extra to write). With RocksDB a
 * read is a lookup, a decompression and a deserialisation, and it was a third of the controller's time on a
 * fleet; the values are immutable records, so holding the object is holding the state. (Writing back only at
 * checkpoints saved the writes too, but a fleet's states then all went to RocksDB inside the checkpoint, on the
 * task thread, and the decisions waiting behind it came up to a second late.)
 *
 * <p>The budget bounds what is held: a key is held while the total weight stays within it; past it, the key
 * is read from the backend as before. Keys are not evicted to make room: every pipeline comes back every round,
 * so an evicting cache over more keys than it holds would miss on every read; holding a fixed share hits that
 * share. After a restore nothing is held until read.
 *
 * <p>Every access is for the operator's current key (the backend reads and writes that key's value), which the
 * caller passes as {@code key} too.
 */
final class HeldState<V> {

    private final ValueState<V> backend;
    private final ToLongFunction<V> weigher;
    private final long budget;
    private final Map<Object, V> held = new HashMap<>();
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
        V v = held.get(key);
        if (v != null) {
            return v;
        }
        v = backend.value();
        if (v != null) {
            hold(key, v);
        }
        return v;
    }

    /** Sets the current key's value, in the backend and, within the budget, in memory. */
    void update(Object key, V v) throws IOException {
        backend.update(v);
        drop(key);
        hold(key, v);
    }

    /** Forgets the key (its state is being cleared). */
    void drop(Object key) {
        V old = held.remove(key);
        if (old != null) {
            weight -= weigher.applyAsLong(old); // values are immutable: the weight they were held at
        }
    }

    private void hold(Object key, V v) {
        long w = weigher.applyAsLong(v);
        if (weight + w <= budget) {
            held.put(key, v);
            weight += w;
        }
    }
}
