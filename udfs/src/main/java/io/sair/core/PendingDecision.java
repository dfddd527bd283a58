package io.sair.core;

import io.sair.core.model.EpisodeStage;
import java.util.List;

/**
 * The decision of the last round, waiting for the next window to be rewarded.
 *
 * @param features the context it was taken in
 * @param observed the stages as they ran then (their allocations are compared with the next window's
 *     to learn the action that was really executed)
 */
public record PendingDecision(String decisionId, long windowEnd, double[] features, List<EpisodeStage> observed,
                              double p99Ms, double costPerHour) {

    public PendingDecision {
        observed = List.copyOf(observed);
    }
}
