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
        List<Experience> pool = pool(query, buffer);
        int n = pool.size();
        double[] simQ = new double[n];
        for (int i = 0; i < n; i++) {
            simQ[i] = similarity.between(query, pool.get(i).features());
        }
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

    /**
     * The pool's pairwise similarities, row-major n x n with a zero diagonal, taken from the last round's where
     * both episodes were in its pool too. Episodes are immutable, so a pair's similarity never changes, and from
     * one round to the next the pool mostly keeps its members (the query moves a little, one episode is added):
     * recomputing all n^2/2 kernels each round was over half of a simulated SAIR run. Matched by identity, so a
     * pool of other episodes (another pipeline, or ones read back from state) is simply computed afresh.
     * Per thread; two arrays reused, no garbage per round.
     */
    private static final class PairCache {
        static final ThreadLocal<PairCache> CURRENT = ThreadLocal.withInitial(PairCache::new);

        private final java.util.IdentityHashMap<Experience, Integer> lastIndex = new java.util.IdentityHashMap<>();
        private double[] last = new double[0];
        private int lastN;
        private double[] current = new double[0];
        private Similarity lastSimilarity;

        double[] pairs(List<Experience> pool, Similarity similarity) {
            int n = pool.size();
            boolean reuse = similarity.equals(lastSimilarity);
            int[] was = new int[n];
            int hits = 0;
            for (int i = 0; i < n; i++) {
                Integer k = reuse ? lastIndex.get(pool.get(i)) : null;
                was[i] = k == null ? -1 : k;
                hits += k == null ? 0 : 1;
            }
            // No episode of the last pool (the job reads its episodes back from state each round): compute in place,
            // one matrix as before the cache; otherwise into the other one, reading the last.
            double[] out = hits < 2 ? last : current;
            if (out.length < n * n) {
                out = new double[n * n];
            }
            for (int i = 0; i < n; i++) {
                double[] fi = pool.get(i).features();
                out[i * n + i] = 0;
                int row = hits < 2 || was[i] < 0 ? -1 : was[i] * lastN;
                for (int j = i + 1; j < n; j++) {
                    double s = row >= 0 && was[j] >= 0 ? last[row + was[j]]
                            : similarity.between(fi, pool.get(j).features());
                    out[i * n + j] = s;
                    out[j * n + i] = s;
                }
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
    }

    /**
     * The {@code poolSize} episodes most similar to the query, most similar first (ties: the older
     * episode first). A bounded heap picks them in O(n log pool) instead of sorting the whole buffer.
     */
    private List<Experience> pool(double[] query, List<Experience> buffer) {
        if (buffer.size() <= poolSize) {
            return buffer;
        }
        int n = buffer.size();
        double[] sims = new double[n];
        for (int i = 0; i < n; i++) {
            sims[i] = similarity.between(query, buffer.get(i).features());
        }
        java.util.Comparator<Integer> mostSimilarFirst = (a, b) -> a.equals(b) ? 0
                : sims[a] != sims[b] ? Double.compare(sims[b], sims[a]) : Long.compare(buffer.get(a).id(), buffer.get(b).id());
        // The heap's head is the least similar of those kept so far.
        java.util.PriorityQueue<Integer> kept = new java.util.PriorityQueue<>(poolSize + 1, mostSimilarFirst.reversed());
        for (int i = 0; i < n; i++) {
            if (kept.size() < poolSize) {
                kept.add(i);
            } else if (mostSimilarFirst.compare(i, kept.peek()) < 0) {
                kept.poll();
                kept.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(kept);
        order.sort(mostSimilarFirst);
        List<Experience> pool = new ArrayList<>(poolSize);
        for (int i : order) {
            pool.add(buffer.get(i));
        }
        return pool;
    }

    /** s_i = |r_i - rhat_{-i}(x_i)|; an episode with no similar neighbours is compared with 0. */
    static double[] surprisal(List<Experience> pool, double[] simPair) {
        int n = pool.size();
        double[] reward = new double[n];
        for (int j = 0; j < n; j++) {
            reward[j] = pool.get(j).reward();
        }
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double num = 0;
            double den = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    num += simPair[i * n + j] * reward[j];
                    den += simPair[i * n + j];
                }
            }
            double rhat = den > 1e-12 ? num / den : 0.0;
            s[i] = Math.abs(pool.get(i).reward() - rhat);
        }
        return s;
    }

    @Override
    public String name() {
        return "surprisal";
    }
}
