package io.sair.sim.workload;

import java.util.SplittableRandom;

/**
 * A request's work units drawn from a lognormal with the given mean and coefficient of variation,
 * clipped to [min, max]; cv = 0 gives the mean every time, mean = 0 means the dimension is unused.
 */
public record WorkDist(double mean, double cv, double min, double max) {

    public static final WorkDist NONE = new WorkDist(0, 0, 0, 0);

    public static WorkDist constant(double v) {
        return new WorkDist(v, 0, v, v);
    }

    public double sample(SplittableRandom rng) {
        if (mean == 0) {
            return 0;
        }
        if (cv == 0) {
            return mean;
        }
        double s2 = Math.log(1 + cv * cv);
        double mu = Math.log(mean) - s2 / 2;
        double v = Math.exp(mu + Math.sqrt(s2) * rng.nextGaussian());
        return Math.max(min, Math.min(max, v));
    }
}
