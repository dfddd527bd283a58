package io.sair.core.memory;

/** Gaussian kernel over Euclidean distance: sim = exp(-d^2 / (2 sigma^2)); 0 for vectors of other shape. */
public record Similarity(double sigma) {

    public static Similarity defaults() {
        return new Similarity(0.5);
    }

    public double between(double[] a, double[] b) {
        if (a == null || b == null || a.length != b.length) {
            return 0.0;
        }
        double d2 = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            d2 += d * d;
        }
        return Math.exp(-d2 / (2 * sigma * sigma));
    }
}
