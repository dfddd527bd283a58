package io.sair.core.memory;

import io.sair.core.model.Experience;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** k episodes drawn uniformly (seeded), for comparison. */
public final class RandomRetriever implements Retriever {

    @Override
    public List<Experience> select(double[] query, List<Experience> buffer, int k, long seed) {
        List<Experience> copy = new ArrayList<>(buffer);
        Collections.shuffle(copy, new Random(seed));
        return copy.stream().limit(k).sorted(Curriculum.ORDER).toList();
    }

    @Override
    public String name() {
        return "random";
    }
}
