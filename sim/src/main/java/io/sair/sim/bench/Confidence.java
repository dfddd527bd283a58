package io.sair.sim.bench;

/** 95% confidence intervals of a mean over seeds, by Student's t with n - 1 degrees of freedom. */
final class Confidence {

    /** t(0.975, df) for df 1..30. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
        2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
        2.048, 2.045, 2.042};

    private Confidence() {
    }

    /** t(0.975, df); above 30 the tabulated value of the next lower df (30, 40 or 60), so the interval errs wide. */
    static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("df must be positive, got " + df);
        }
        if (df <= 30) {
            return T975[df - 1];
        }
        return df < 40 ? 2.042 : df < 60 ? 2.021 : 2.000;
    }

    /** Half the width of the 95% interval of the mean of {@code xs}; NaN for fewer than two values. */
    static double halfWidth95(double[] xs) {
        int n = xs.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (double x : xs) {
            mean += x;
        }
        mean /= n;
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        return t975(n - 1) * Math.sqrt(ss / (n - 1) / n);
    }
}
