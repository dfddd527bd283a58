package io.sair.core.model;

import java.util.List;

/**
 * One remembered episode: the context the decision was taken in, the executed action, and its reward.
 *
 * @param features context features in [0,1] (similarity space)
 * @param observed the stages as they were (for the prompt)
 * @param action the executed, validated targets and deltas
 * @param latencyObjective normalised latency measured after the action
 * @param costObjective normalised cost measured after the action
 */
public record Experience(long id, long windowEnd, double[] features, List<EpisodeStage> observed, double p99Ms,
                         List<StageTarget> action, double reward, double latencyObjective, double costObjective) {

    public Experience {
        observed = List.copyOf(observed);
        action = List.copyOf(action);
    }
}
