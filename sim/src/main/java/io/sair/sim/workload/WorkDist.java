package io.sair.sim.workload;

import java.util.SplittableRandom;

/**
 * A request's work units: lognormal with the given mean and coefficient of variation (cv = 0: the
 * mean every time), or exponential (for queueing-theory checks); clipped to [min, max]. mean = 0 means
 * the dimension is unused.
 */
public record WorkDist(Kind kind, double mean, double cv, double min, double max) {

    public enum Kind { LOGNORMAL, EXPONENTIAL }

    public static final WorkDist NONE = new WorkDist(0, 0, 0, 0);

    public WorkDist(double mean, double cv, double min, double max) {
        this(Kind.LOGNORMAL, mean, cv, min, max);
    }

    public static WorkDist constant(double v) {
        return new WorkDist(v, 0, v, v);
    }

    public static WorkDist exponential(double mean) {
        return new WorkDist(Kind.EXPONENTIAL, mean, 1, 0, Double.MAX_VALUE);
    }

    public double sample(SplittableRandom rng) {
        if (mean == 0) {
            return 0;
        }
        if (kind == Kind.EXPONENTIAL) {
            return Math.min(max, -Math.log(1.0 - rng.nextDouble()) * mean);
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
