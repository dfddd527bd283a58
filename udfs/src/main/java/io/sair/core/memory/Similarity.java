package io.sair.core.memory;

/** Gaussian kernel over Euclidean distance: sim = exp(-d^2 / (2 sigma^2)); 0 for vectors of other shape. */
public record Similarity(double sigma) {

    public static Similarity defaults() {
        return new Similarity(0.5);
    }

    public double between(double[] a, double[] b) {
        return ofDistance2(distance2(a, b, Double.POSITIVE_INFINITY));
    }

    /**
     * The squared distance, or as soon as a partial sum exceeds {@code stopAbove} that partial sum (the terms are
     * never negative, so the whole sum exceeds it too); +infinity for vectors of other shape (similarity 0).
     */
    double distance2(double[] a, double[] b, double stopAbove) {
        if (a == null || b == null || a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double d2 = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            d2 += d * d;
            if (d2 > stopAbove) {
                return d2;
            }
        }
        return d2;
    }

    /**
     * The kernel of a squared distance. Never larger for a larger distance: the division is correctly rounded and
     * {@link Math#exp} is semi-monotonic, so a larger distance can be ruled out without the exponential.
     */
    double ofDistance2(double d2) {
        return Math.exp(-d2 / (2 * sigma * sigma));
    }
}
