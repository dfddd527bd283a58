package io.sair.core.explore;

/** Exploration rate and the number of rounds decided so far (the round also seeds the round's randomness). */
public record ExplorationState(double epsilon, long round) {

    public static ExplorationState initial(double epsilon) {
        return new ExplorationState(epsilon, 0);
    }
}
