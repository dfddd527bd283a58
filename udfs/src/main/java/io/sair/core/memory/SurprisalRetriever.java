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
        double[][] simPair = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = similarity.between(pool.get(i).features(), pool.get(j).features());
                simPair[i][j] = s;
                simPair[j][i] = s;
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
                maxSimToChosen[i] = Math.max(maxSimToChosen[i], simPair[best][i]);
            }
        }
        picked.sort(Curriculum.ORDER);
        return picked;
    }

    private List<Experience> pool(double[] query, List<Experience> buffer) {
        if (buffer.size() <= poolSize) {
            return buffer;
        }
        int n = buffer.size();
        double[] sims = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            sims[i] = similarity.between(query, buffer.get(i).features());
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> a.equals(b) ? 0
                : sims[a] != sims[b] ? Double.compare(sims[b], sims[a]) : Long.compare(buffer.get(a).id(), buffer.get(b).id()));
        List<Experience> pool = new ArrayList<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            pool.add(buffer.get(order[i]));
        }
        return pool;
    }

    /** s_i = |r_i - rhat_{-i}(x_i)|; an episode with no similar neighbours is compared with 0. */
    static double[] surprisal(List<Experience> pool, double[][] simPair) {
        int n = pool.size();
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double num = 0;
            double den = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    num += simPair[i][j] * pool.get(j).reward();
                    den += simPair[i][j];
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
