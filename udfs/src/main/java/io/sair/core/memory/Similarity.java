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

    /**
     * {@code out[at + m - from] = between(a, bs[m])} for m from {@code from} to {@code to}, bit for bit, four at a
     * time: each sum keeps its order, and the four run side by side (one sum's chain of additions was most of a
     * kernel's time).
     */
    public void many(double[] a, double[][] bs, int from, int to, double[] out, int at) {
        int m = from;
        int shift = at - from;
        if (a != null) {
            int d = a.length;
            double twoSigma2 = 2 * sigma * sigma;
            for (; m + 3 < to; m += 4) {
                double[] b0 = bs[m];
                double[] b1 = bs[m + 1];
                double[] b2 = bs[m + 2];
                double[] b3 = bs[m + 3];
                if (!sameShape(d, b0) || !sameShape(d, b1) || !sameShape(d, b2) || !sameShape(d, b3)) {
                    for (int k = m; k < m + 4; k++) {
                        out[shift + k] = between(a, bs[k]);
                    }
                    continue;
                }
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int i = 0; i < d; i++) {
                    double x = a[i];
                    double e0 = x - b0[i];
                    double e1 = x - b1[i];
                    double e2 = x - b2[i];
                    double e3 = x - b3[i];
                    s0 += e0 * e0;
                    s1 += e1 * e1;
                    s2 += e2 * e2;
                    s3 += e3 * e3;
                }
                out[shift + m] = Math.exp(-s0 / twoSigma2);
                out[shift + m + 1] = Math.exp(-s1 / twoSigma2);
                out[shift + m + 2] = Math.exp(-s2 / twoSigma2);
                out[shift + m + 3] = Math.exp(-s3 / twoSigma2);
            }
        }
        for (; m < to; m++) {
            out[shift + m] = between(a, bs[m]);
        }
    }

    private static boolean sameShape(int d, double[] b) {
        return b != null && b.length == d;
    }
}
