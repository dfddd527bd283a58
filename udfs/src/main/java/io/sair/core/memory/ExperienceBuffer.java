package io.sair.core.memory;

import io.sair.core.model.Experience;
import io.sair.core.reward.ParetoFrontier;
import io.sair.core.reward.ParetoPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The episodes one pipeline remembers, oldest first. Positive-only by default (the paper's memory
 * rule); when full, the oldest episode that is not on the Pareto frontier makes room.
 */
public final class ExperienceBuffer {

    private final List<Experience> episodes;
    private final int capacity;
    private final boolean positiveOnly;

    public ExperienceBuffer(List<Experience> episodes, int capacity, boolean positiveOnly) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.episodes = new ArrayList<>(episodes);
        this.capacity = capacity;
        this.positiveOnly = positiveOnly;
    }

    public List<Experience> episodes() {
        return List.copyOf(episodes);
    }

    public int size() {
        return episodes.size();
    }

    /** Remembers e if it qualifies; returns whether it was stored. */
    public boolean offer(Experience e, ParetoFrontier frontier) {
        if (positiveOnly && !(e.reward() > 0)) {
            return false;
        }
        episodes.add(e);
        while (episodes.size() > capacity) {
            evictOne(frontier);
        }
        return true;
    }

    private void evictOne(ParetoFrontier frontier) {
        for (int i = 0; i < episodes.size(); i++) {
            Experience e = episodes.get(i);
            if (!frontier.contains(new ParetoPoint(e.latencyObjective(), e.costObjective()))) {
                episodes.remove(i);
                return;
            }
        }
        // Every episode is on the frontier: drop the oldest anyway, the cap is a hard bound.
        episodes.remove(0);
    }
}
