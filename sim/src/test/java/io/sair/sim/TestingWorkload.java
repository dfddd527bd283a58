package io.sair.sim;

import io.sair.sim.workload.Workload;

/** A scripted workload: requests at the given times with the given size units (g = 0). */
public final class TestingWorkload implements Workload {

    private final double[] times;
    private final double[] u;
    private int i = -1;

    public TestingWorkload(double[] times, double[] u) {
        this.times = times;
        this.u = u;
    }

    /** {@code n} requests every {@code gapMs}, each of size 1. */
    public static TestingWorkload every(double gapMs, int n) {
        double[] t = new double[n];
        double[] u = new double[n];
        for (int k = 0; k < n; k++) {
            t[k] = gapMs * (k + 1);
            u[k] = 1;
        }
        return new TestingWorkload(t, u);
    }

    @Override
    public boolean advance() {
        return ++i < times.length;
    }

    @Override
    public double timeMs() {
        return times[i];
    }

    @Override
    public double u() {
        return u[i];
    }

    @Override
    public double g() {
        return 0;
    }

    @Override
    public String describe() {
        return "scripted";
    }
}
