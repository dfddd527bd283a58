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
        // Row-major n x n, reused: a fresh 256 x 256 matrix per round was half a megabyte of garbage.
        double[] simPair = scratch(n * n);
        for (int i = 0; i < n; i++) {
            double[] fi = pool.get(i).features();
            simPair[i * n + i] = 0;
            for (int j = i + 1; j < n; j++) {
                double s = similarity.between(fi, pool.get(j).features());
                simPair[i * n + j] = s;
                simPair[j * n + i] = s;
            }
        }
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

    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

    private static double[] scratch(int size) {
        double[] a = SCRATCH.get();
        if (a.length < size) {
            a = new double[size];
            SCRATCH.set(a);
        }
        return a;
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
