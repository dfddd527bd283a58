package io.sair.core.memory;

import io.sair.core.model.Experience;
import java.util.Comparator;
import java.util.List;

/** Plain k nearest neighbours by similarity (KATE-style), for comparison. */
public final class KnnRetriever implements Retriever {

    private final Similarity similarity;

    public KnnRetriever(Similarity similarity) {
        this.similarity = similarity;
    }

    @Override
    public List<Experience> select(double[] query, List<Experience> buffer, int k, long seed) {
        return buffer.stream()
                .sorted(Comparator.comparingDouble((Experience e) -> -similarity.between(query, e.features()))
                        .thenComparingLong(Experience::id))
                .limit(k)
                .sorted(Curriculum.ORDER)
                .toList();
    }

    @Override
    public String name() {
        return "knn";
    }
}
