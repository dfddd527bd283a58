package io.sair.sim.workload;

import java.util.Arrays;

/**
 * A workload's requests drawn once and kept, for runs that all get the same requests: each {@link #replay()} is a
 * workload of its own (its own cursor) yielding exactly what the recorded one yielded. The autoscalers and oracle
 * settings of a cell run on the same seeded requests, and drawing them (the thinning's candidates, the lognormal
 * work) was an eighth of each run. Read-only once recorded, so runs on several threads share one.
 */
public final class RecordedRequests {

    private final double[] timeMs;
    private final double[] u;
    private final double[] g;
    private final String description;

    private RecordedRequests(double[] timeMs, double[] u, double[] g, String description) {
        this.timeMs = timeMs;
        this.u = u;
        this.g = g;
        this.description = description;
    }

    /** Reads {@code w} to its end. */
    public static RecordedRequests of(Workload w) {
        double[] t = new double[1024];
        double[] u = new double[1024];
        double[] g = new double[1024];
        int n = 0;
        while (w.advance()) {
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                u = Arrays.copyOf(u, n * 2);
                g = Arrays.copyOf(g, n * 2);
            }
            t[n] = w.timeMs();
            u[n] = w.u();
            g[n] = w.g();
            n++;
        }
        return new RecordedRequests(Arrays.copyOf(t, n), Arrays.copyOf(u, n), Arrays.copyOf(g, n), w.describe());
    }

    /** Requests given outright (arrival times ascending, in ms, with their size units and tokens). */
    public static RecordedRequests of(double[] timeMs, double[] u, double[] g, String description) {
        if (u.length != timeMs.length || g.length != timeMs.length) {
            throw new IllegalArgumentException("one size and one token count per arrival are needed");
        }
        return new RecordedRequests(timeMs.clone(), u.clone(), g.clone(), description);
    }

    public int size() {
        return timeMs.length;
    }

    /** The recorded requests from the first, as a fresh workload. */
    public Workload replay() {
        return new Workload() {
            private int i = -1;

            @Override
            public boolean advance() {
                if (i + 1 >= timeMs.length) {
                    i = timeMs.length;
                    return false;
                }
                i++;
                return true;
            }

            @Override
            public double timeMs() {
                return timeMs[i];
            }

            @Override
            public double u() {
                return u[i];
            }

            @Override
            public double g() {
                return g[i];
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
