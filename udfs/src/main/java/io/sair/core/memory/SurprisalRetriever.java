package io.sair.core.memory;

import io.sair.core.model.Experience;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's retrieval: greedy selection maximising sim(x, x_i) + lambda s_i - mu max_{j in S} sim(x_i, x_j),
 * where s_i = |r_i - rhat_{-i}(x_i)| is the leave-one-out surprisal of episode i (rhat: similarity-weighted
 * mean reward of the others).
 *
 * <p>Surprisal is estimated within a candidate pool of the {@code poolSize} episodes most similar to the
 * query, which keeps a round O(n + pool^2) instead of O(n^2); episodes outside the pool carry
 * exponentially small kernel weight at the query and would rarely be picked anyway.
 */
public final class SurprisalRetriever implements Retriever {

    private final Similarity similarity;
    private final double lambda;
    private final double mu;
    private final int poolSize;

    public SurprisalRetriever(Similarity similarity, double lambda, double mu, int poolSize) {
        this.similarity = similarity;
        this.lambda = lambda;
        this.mu = mu;
        this.poolSize = poolSize;
    }

    public static SurprisalRetriever defaults() {
        return new SurprisalRetriever(Similarity.defaults(), 0.5, 0.1, 256);
    }

    @Override
    public List<Experience> select(double[] query, List<Experience> buffer, int k, long seed) {
        Pool candidates = candidates(query, buffer);
        List<Experience> pool = candidates.members();
        double[] simQ = candidates.simQ();
        int n = pool.size();
        double[] simPair = PairCache.CURRENT.get().pairs(pool, similarity);
        double[] surprisal = surprisal(pool, simPair);
        double[] maxSimToChosen = new double[n];
        boolean[] chosen = new boolean[n];
        List<Experience> picked = new ArrayList<>();
        for (int round = 0; round < Math.min(k, n); round++) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (chosen[i]) {
                    continue;
                }
                double score = simQ[i] + lambda * surprisal[i] - mu * maxSimToChosen[i];
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                }
            }
            chosen[best] = true;
            picked.add(pool.get(best));
            for (int i = 0; i < n; i++) {
                maxSimToChosen[i] = Math.max(maxSimToChosen[i], simPair[best * n + i]);
            }
        }
        picked.sort(Curriculum.ORDER);
        return picked;
    }

    /** The pool and each member's similarity to the query, in the same order. */
    private record Pool(List<Experience> members, double[] simQ) {
    }

    /**
     * The {@code poolSize} episodes most similar to the query, most similar first (ties: the older
     * episode first). A bounded heap picks them in O(n log pool) instead of sorting the whole buffer.
     */
    List<Experience> pool(double[] query, List<Experience> buffer) {
        return candidates(query, buffer).members();
    }

    private Pool candidates(double[] query, List<Experience> buffer) {
        int n = buffer.size();
        double[][] features = new double[n][];
        for (int i = 0; i < n; i++) {
            features[i] = buffer.get(i).features();
        }
        double[] sims = new double[n];
        similarity.many(query, features, 0, n, sims, 0);
        if (n <= poolSize) {
            return new Pool(buffer, sims);
        }
        MostSimilarFirst order = new MostSimilarFirst(sims, new long[n]);
        for (int i = 0; i < n; i++) {
            order.ids[i] = buffer.get(i).id();
        }
        // A heap of the kept indices whose head is the least similar of them; popped out last to first at the end.
        int[] heap = new int[poolSize];
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (size < poolSize) {
                heap[size] = i;
                order.siftUp(heap, size++);
            } else if (order.compare(i, heap[0]) < 0) {
                heap[0] = i;
                order.siftDown(heap, size);
            }
        }
        Experience[] pool = new Experience[size];
        double[] simQ = new double[size];
        while (size > 0) {
            pool[size - 1] = buffer.get(heap[0]);
            simQ[size - 1] = order.sims[heap[0]];
            heap[0] = heap[--size];
            order.siftDown(heap, size);
        }
        return new Pool(java.util.Arrays.asList(pool), simQ);
    }

    /** Most similar to the query first; ties: the older episode (smaller id) first. A total order on indices. */
    private record MostSimilarFirst(double[] sims, long[] ids) {

        int compare(int a, int b) {
            return a == b ? 0 : sims[a] != sims[b] ? Double.compare(sims[b], sims[a]) : Long.compare(ids[a], ids[b]);
        }

        /** A heap whose head comes last in this order: the entry at {@code k} moves up to its place. */
        void siftUp(int[] heap, int k) {
            int x = heap[k];
            while (k > 0) {
                int parent = (k - 1) >>> 1;
                if (compare(x, heap[parent]) <= 0) {
                    break;
                }
                heap[k] = heap[parent];
                k = parent;
            }
            heap[k] = x;
        }

        /** The head moves down to its place in a heap of {@code size}. */
        void siftDown(int[] heap, int size) {
            if (size == 0) {
                return;
            }
            int x = heap[0];
            int k = 0;
            int half = size >>> 1;
            while (k < half) {
                int c = 2 * k + 1;
                if (c + 1 < size && compare(heap[c + 1], heap[c]) > 0) {
                    c++;
                }
                if (compare(x, heap[c]) >= 0) {
                    break;
                }
                heap[k] = heap[c];
                k = c;
            }
            heap[k] = x;
        }
    }

    /**
     * s_i = |r_i - rhat_{-i}(x_i)|; an episode with no similar neighbours is compared with 0. {@code simPair} has a zero
     * diagonal, so a row's own entry adds an exact 0 to its sums.
     */
    static double[] surprisal(List<Experience> pool, double[] simPair) {
        int n = pool.size();
        double[] reward = new double[n];
        for (int j = 0; j < n; j++) {
            reward[j] = pool.get(j).reward();
        }
        double[] num = new double[n];
        double[] den = new double[n];
        // Four rows at once: each row's sums keep their order (so their bits), and the four run side by side.
        int i = 0;
        for (; i + 3 < n; i += 4) {
            int r0 = i * n;
            int r1 = r0 + n;
            int r2 = r1 + n;
            int r3 = r2 + n;
            double n0 = 0, n1 = 0, n2 = 0, n3 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0;
            for (int j = 0; j < n; j++) {
                double r = reward[j];
                double s0 = simPair[r0 + j];
                double s1 = simPair[r1 + j];
                double s2 = simPair[r2 + j];
                double s3 = simPair[r3 + j];
                n0 += s0 * r;
                n1 += s1 * r;
                n2 += s2 * r;
                n3 += s3 * r;
                d0 += s0;
                d1 += s1;
                d2 += s2;
                d3 += s3;
            }
            num[i] = n0;
            num[i + 1] = n1;
            num[i + 2] = n2;
            num[i + 3] = n3;
            den[i] = d0;
            den[i + 1] = d1;
            den[i + 2] = d2;
            den[i + 3] = d3;
        }
        for (; i < n; i++) {
            for (int j = 0; j < n; j++) {
                num[i] += simPair[i * n + j] * reward[j];
                den[i] += simPair[i * n + j];
            }
        }
        double[] s = new double[n];
        for (int k = 0; k < n; k++) {
            double rhat = den[k] > 1e-12 ? num[k] / den[k] : 0.0;
            s[k] = Math.abs(reward[k] - rhat);
        }
        return s;
    }

    @Override
    public String name() {
        return "surprisal";
    }
}
