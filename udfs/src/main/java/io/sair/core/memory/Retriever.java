package io.sair.core.memory;

import io.sair.core.model.Experience;
import java.util.List;

/** Chooses the k episodes shown to the policy, ordered by ascending reward (curriculum). */
public interface Retriever {

    List<Experience> select(double[] query, List<Experience> buffer, int k, long seed);

    String name();
}
