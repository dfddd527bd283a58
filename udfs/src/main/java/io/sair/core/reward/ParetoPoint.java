package io.sair.core.reward;

/** A point in normalised (latency, cost) space; lower is better in both. */
public record ParetoPoint(double latency, double cost) {

    /** Strict Pareto dominance: no worse in both and better in at least one. */
    public boolean dominates(ParetoPoint o) {
        return latency <= o.latency && cost <= o.cost && (latency < o.latency || cost < o.cost);
    }

    public double distance(ParetoPoint o) {
        return Math.hypot(latency - o.latency, cost - o.cost);
    }
}
