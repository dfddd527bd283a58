package io.sair.core.memory;

import io.sair.core.model.Experience;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * A retrieval pool's pairwise similarities, row-major n x n with a zero diagonal, without recomputing the pairs a
 * thread has computed before. Episodes are immutable, so a pair's similarity never changes; recomputing all n^2/2
 * kernels each round was over half of a simulated SAIR run. Two layers:
 * <ul>
 *   <li>the last round's matrix: from one round to the next the pool mostly keeps its members (the query moves a
 *   little, one episode is added), so most pairs are read from there;</li>
 *   <li>a store of every pair computed since the episodes were first seen: of the ~30 episodes a simulated round's
 *   pool takes in, nearly all were in a pool a few rounds before (measured on video: 28 of 243 members new to the
 *   pool a round, 27 of them seen before), and their pairs are read back instead of computed.</li>
 * </ul>
 * Matched by identity, so a pool of other episodes (another pipeline, or ones the job reads back from state each
 * round) is computed afresh, in place, as before the cache, and the store is not used for it. The similarity is
 * symmetric bit for bit (the same squared differences summed in the same order), so a pair read back is the value
 * computing it would give, and results do not depend on the cache. Per thread; no garbage per round but the index
 * arrays.
 */
final class PairCache {

    static final ThreadLocal<PairCache> CURRENT = ThreadLocal.withInitial(PairCache::new);

    private final IdentityHashMap<Experience, Integer> lastIndex = new IdentityHashMap<>();
    private double[] last = new double[0];
    private int lastN;
    private double[] current = new double[0];
    private Similarity lastSimilarity;
    private final PairStore store;

    PairCache() {
        this(PairStore.MAX_SLOTS);
    }

    /** With at most {@code maxSlots} episodes in the store (tests make it start over sooner). */
    PairCache(int maxSlots) {
        this.store = new PairStore(maxSlots);
    }

    double[] pairs(List<Experience> pool, Similarity similarity) {
        int n = pool.size();
        boolean reuse = similarity.equals(lastSimilarity);
        int[] was = new int[n];
        double[][] features = new double[n][];
        int hits = 0;
        for (int i = 0; i < n; i++) {
            Experience e = pool.get(i);
            features[i] = e.features();
            Integer k = reuse ? lastIndex.get(e) : null;
            was[i] = k == null ? -1 : k;
            hits += k == null ? 0 : 1;
        }
        boolean continued = hits >= 2;
        if (!continued) {
            // No pair of the last pool: every pair is computed, into the last matrix in place.
            Arrays.fill(was, -1);
            store.clear();
        }
        double[] out = continued ? current : last;
        if (out.length < n * n) {
            out = new double[n * n];
        }
        int[] known = new int[n];
        int[] fresh = new int[n];
        int nk = 0;
        int nf = 0;
        for (int i = 0; i < n; i++) {
            if (was[i] >= 0) {
                known[nk++] = i;
            } else {
                fresh[nf++] = i;
            }
        }
        if (nk == 0) {
            // All new (the job's case): the upper triangle row by row, mirrored in tiles afterwards.
            for (int i = 0; i < n; i++) {
                similarity.many(features[i], features, i + 1, n, out, i * n + i + 1);
            }
            mirrorUpper(out, n);
        } else {
            newRows(out, n, features, was, known, nk, fresh, nf, store.slots(pool), similarity);
        }
        // Rows of the members of the last pool: read whole from its matrix without a branch (a new member's column
        // reads some pair of the last matrix), then each new member's column taken from that member's row.
        int[] from = new int[n];
        for (int j = 0; j < n; j++) {
            from[j] = Math.max(was[j], 0);
        }
        for (int a = 0; a < nk; a++) {
            int i = known[a];
            int row = i * n;
            int lastRow = was[i] * lastN;
            for (int j = 0; j < n; j++) {
                out[row + j] = last[lastRow + from[j]];
            }
            for (int b = 0; b < nf; b++) {
                int j = fresh[b];
                out[row + j] = out[j * n + i];
            }
        }
        for (int i = 0; i < n; i++) {
            out[i * n + i] = 0;
        }
        lastIndex.clear();
        for (int i = 0; i < n; i++) {
            lastIndex.put(pool.get(i), i);
        }
        if (out != last) {
            current = last;
            last = out;
        }
        lastN = n;
        lastSimilarity = similarity;
        return last;
    }

    /**
     * The rows of the members new to the pool, beside members of the last one: each pair read from the store or
     * computed once (the ones to compute gathered and computed together), written to both sides of the diagonal
     * where the other member is new too (a known member's row is filled from the last matrix afterwards).
     */
    private void newRows(double[] out, int n, double[][] features, int[] was, int[] known, int nk, int[] fresh, int nf,
                         int[] slots, Similarity similarity) {
        int[] todo = new int[n];
        double[][] todoFeatures = new double[n][];
        double[] computed = new double[n];
        for (int a = 0; a < nf; a++) {
            int i = fresh[a];
            int row = i * n;
            int m = 0;
            for (int b = 0; b < nk + nf - a - 1; b++) {
                int j = b < nk ? known[b] : fresh[a + 1 + b - nk];
                double v = store.get(slots[i], slots[j]);
                if (Double.isNaN(v)) {
                    todo[m] = j;
                    todoFeatures[m++] = features[j];
                } else {
                    out[row + j] = v;
                    if (was[j] < 0) {
                        out[j * n + i] = v;
                    }
                }
            }
            similarity.many(features[i], todoFeatures, 0, m, computed, 0);
            for (int t = 0; t < m; t++) {
                int j = todo[t];
                double v = computed[t];
                out[row + j] = v;
                if (was[j] < 0) {
                    out[j * n + i] = v;
                }
                store.put(slots[i], slots[j], v);
            }
        }
    }

    /** Copies the upper triangle of an n x n matrix onto the lower, in tiles so that both sides stay in cache. */
    private static void mirrorUpper(double[] m, int n) {
        final int tile = 16;
        for (int bi = 0; bi < n; bi += tile) {
            int iEnd = Math.min(bi + tile, n);
            for (int bj = 0; bj <= bi; bj += tile) {
                for (int i = bi; i < iEnd; i++) {
                    int jEnd = Math.min(bj + tile, i);
                    for (int j = bj; j < jEnd; j++) {
                        m[i * n + j] = m[j * n + i];
                    }
                }
            }
        }
    }

    /**
     * Every pair computed since the store was last cleared, on a square matrix of slots, one slot per episode (NaN:
     * not computed). Slots are handed out in order and never reused; when they run out, the store starts over
     * (one round's pairs computed again). Clearing refills the used block with NaN, so that a new slot's row and
     * column need no marking (marking a column touched a cache line per slot). At most {@link #MAX_SLOTS}^2 doubles
     * (32 MB), grown by doubling.
     */
    private static final class PairStore {
        static final int MAX_SLOTS = 2048;

        private final int maxSlots;
        private final IdentityHashMap<Experience, Integer> slotOf = new IdentityHashMap<>();
        private double[] sims = new double[0];
        private int cap;
        private int used;

        PairStore(int maxSlots) {
            this.maxSlots = maxSlots;
        }

        void clear() {
            for (int r = 0; r < used; r++) {
                Arrays.fill(sims, r * cap, r * cap + used, Double.NaN);
            }
            slotOf.clear();
            used = 0;
        }

        /** Each pool member's slot, handing out new ones (the pool never needs more than there are). */
        int[] slots(List<Experience> pool) {
            int n = pool.size();
            int missing = 0;
            for (int i = 0; i < n; i++) {
                missing += slotOf.containsKey(pool.get(i)) ? 0 : 1;
            }
            if (used + missing > maxSlots) {
                clear();
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                Integer s = slotOf.get(pool.get(i));
                out[i] = s != null ? s : assign(pool.get(i));
            }
            return out;
        }

        double get(int a, int b) {
            return sims[a * cap + b];
        }

        void put(int a, int b, double v) {
            sims[a * cap + b] = v;
            sims[b * cap + a] = v;
        }

        private int assign(Experience e) {
            if (used == cap) {
                grow(Math.min(maxSlots, Math.max(256, cap * 2)));
            }
            slotOf.put(e, used);
            return used++;
        }

        private void grow(int newCap) {
            double[] next = new double[newCap * newCap];
            Arrays.fill(next, Double.NaN);
            for (int r = 0; r < used; r++) {
                System.arraycopy(sims, r * cap, next, r * newCap, used);
            }
            sims = next;
            cap = newCap;
        }
    }
}
