package io.sair.sim.workload;

import java.util.SplittableRandom;

/**
 * Requests from a (non-homogeneous) Poisson process with the given rate shape, each with work drawn
 * from the app's distributions. One seeded generator, so a seed gives the same requests whatever
 * autoscaler runs the plant.
 */
public final class PoissonWorkload implements Workload {

    private final RateShape shape;
    private final WorkDist uDist;
    private final WorkDist gDist;
    private final long count;
    private final SplittableRandom rng;
    /** The shape's peak, the thinning's candidate rate: constant, and some shapes find it by a scan. */
    private final double max;
    private long emitted;
    private double t;
    private double u;
    private double g;

    public PoissonWorkload(RateShape shape, WorkDist u, WorkDist g, long count, long seed) {
        this.shape = shape;
        this.uDist = u;
        this.gDist = g;
        this.count = count;
        this.rng = new SplittableRandom(seed);
        this.max = shape.maxRate();
    }

    @Override
    public boolean advance() {
        if (emitted >= count) {
            return false;
        }
        // Thinning (Lewis-Shedler): candidates at the peak rate, kept with probability rate(t)/peak.
        do {
            t += -Math.log(1.0 - rng.nextDouble()) * 1000.0 / max;
        } while (rng.nextDouble() * max > shape.rate(t));
        u = uDist.sample(rng);
        g = gDist.sample(rng);
        emitted++;
        return true;
    }

    @Override
    public double timeMs() {
        return t;
    }

    @Override
    public double u() {
        return u;
    }

    @Override
    public double g() {
        return g;
    }

    @Override
    public String describe() {
        return shape.describe();
    }
}
