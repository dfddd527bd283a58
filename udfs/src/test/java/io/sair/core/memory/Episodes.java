package io.sair.core.memory;

import io.sair.core.model.Experience;
import java.util.List;

/** Test experiences with given features and reward. */
final class Episodes {

    private Episodes() {
    }

    static Experience of(long id, double reward, double... features) {
        return new Experience(id, id * 30_000, features, List.of(), 100, List.of(), reward, 0.5, 0.5);
    }

    static Experience at(long id, double reward, double latency, double cost) {
        return new Experience(id, id * 30_000, new double[] {0.5}, List.of(), 100, List.of(), reward, latency, cost);
    }
}
