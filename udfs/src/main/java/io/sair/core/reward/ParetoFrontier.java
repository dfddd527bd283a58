package io.sair.core.reward;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The non-dominated set of (latency, cost) points seen so far. Kept sorted by latency ascending
 * (so cost descending); hypervolume is measured against the reference point (1, 1).
 */
public final class ParetoFrontier {

    public static final ParetoPoint REFERENCE = new ParetoPoint(1.0, 1.0);

    private final List<ParetoPoint> points;

    public ParetoFrontier() {
        this.points = new ArrayList<>();
    }

    public ParetoFrontier(List<ParetoPoint> points) {
        this();
        points.forEach(this::insert);
    }

    public List<ParetoPoint> points() {
        return List.copyOf(points);
    }

    public int size() {
        return points.size();
    }

    public boolean isDominated(ParetoPoint p) {
        return points.stream().anyMatch(q -> q.dominates(p));
    }

    public boolean contains(ParetoPoint p) {
        return points.contains(p);
    }

    /** Adds p if no member dominates it, dropping the members it dominates. Returns whether it was added. */
    public boolean insert(ParetoPoint p) {
        if (isDominated(p) || points.contains(p)) {
            return false;
        }
        points.removeIf(p::dominates);
        points.add(p);
        points.sort(Comparator.comparingDouble(ParetoPoint::latency).thenComparingDouble(ParetoPoint::cost));
        return true;
    }

    /** Area dominated by the frontier inside the unit box, bounded by {@link #REFERENCE}. */
    public double hypervolume() {
        return hypervolume(points);
    }

    /** How much area p would add to the frontier (0 when dominated or already a member). */
    public double hypervolumeContribution(ParetoPoint p) {
        if (isDominated(p)) {
            return 0.0;
        }
        ParetoFrontier with = new ParetoFrontier(points);
        with.insert(p);
        return Math.max(0.0, with.hypervolume() - hypervolume());
    }

    /** Euclidean distance from p to the nearest frontier member (0 for an empty frontier). */
    public double distance(ParetoPoint p) {
        return points.stream().mapToDouble(q -> q.distance(p)).min().orElse(0.0);
    }

    private static double hypervolume(List<ParetoPoint> sortedByLatency) {
        double area = 0;
        double prevCost = REFERENCE.cost();
        // Sweep by latency ascending: each point adds a slab from its latency to the reference,
        // between its cost and the cost of the previous (better-latency) point.
        for (ParetoPoint q : sortedByLatency) {
            double l = Math.min(q.latency(), REFERENCE.latency());
            double c = Math.min(q.cost(), REFERENCE.cost());
            if (c < prevCost) {
                area += (REFERENCE.latency() - l) * (prevCost - c);
                prevCost = c;
            }
        }
        return area;
    }
}
