package io.sair.sim;

import io.sair.sim.workload.RecordedRequests;
import io.sair.sim.workload.Workload;

/** Scripted workloads for tests: requests at the given times with the given size units (g = 0). */
public final class TestingWorkload {

    private TestingWorkload() {
    }

    public static Workload of(double[] times, double[] u) {
        return RecordedRequests.of(times, u, new double[times.length], "scripted").replay();
    }

    /** {@code n} requests every {@code gapMs}, each of size 1. */
    public static Workload every(double gapMs, int n) {
        double[] t = new double[n];
        double[] u = new double[n];
        for (int k = 0; k < n; k++) {
            t[k] = gapMs * (k + 1);
            u[k] = 1;
        }
        return of(t, u);
    }
}
