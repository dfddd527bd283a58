package io.sair.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Experience;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class SurprisalRetrieverContractTest extends RetrieverContract {

    @Override
    Retriever retriever() {
        return SurprisalRetriever.defaults();
    }

    /**
     * The pairwise similarities kept from the last round (per thread) change nothing: round after round, as the
     * buffer grows past the pool and the query moves, the selection equals a first-ever selection on a fresh thread.
     */
    @Test
    void reusingTheLastRoundsPairsSelectsWhatAFreshRoundSelects() throws Exception {
        SplittableRandom rng = new SplittableRandom(11);
        List<Experience> buffer = new ArrayList<>();
        SurprisalRetriever r = new SurprisalRetriever(Similarity.defaults(), 0.5, 0.1, 32);
        for (int round = 0; round < 60; round++) {
            var fresh = Executors.newSingleThreadExecutor(); // a new thread: nothing kept from an earlier round
            try {
                buffer.add(Episodes.of(round, rng.nextDouble(-1, 1), rng.nextDouble(), rng.nextDouble(), rng.nextDouble()));
                double[] query = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
                List<Experience> snapshot = List.copyOf(buffer);
                List<Experience> warm = r.select(query, snapshot, 8, 1);
                List<Experience> cold = fresh.submit(() -> new SurprisalRetriever(Similarity.defaults(), 0.5, 0.1, 32)
                        .select(query, snapshot, 8, 1)).get();
                assertThat(warm).as("round %d", round).containsExactlyElementsOf(cold);
            } finally {
                fresh.shutdownNow();
            }
        }
    }
}
