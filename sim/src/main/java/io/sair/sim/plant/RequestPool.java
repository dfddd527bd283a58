package io.sair.sim.plant;

import java.util.Arrays;

/**
 * The requests inside the plant as parallel primitive arrays indexed by a recycled slot: a request is an
 * int, so queues, batches and events carry no objects. The arrays are read and written in place by the
 * stages (the hot loop); only admitting and releasing go through methods.
 */
final class RequestPool {

    /** When the request arrived (ms), for its end-to-end latency. */
    double[] arrive = new double[1024];
    /** When it entered its current stage's queue (ms), for that stage's latency. */
    double[] enq = new double[1024];
    /** Its size and generated tokens (see {@link StageModel}). */
    double[] u = new double[1024];
    double[] g = new double[1024];
    /** OOM kills it has been through. */
    byte[] retries = new byte[1024];
    boolean[] live = new boolean[1024];
    private int[] free = new int[1024];
    private int freeCount;
    private int capacity;
    private long inFlight;

    /** Takes a slot for a request arriving now. */
    int admit(double now, double size, double tokens) {
        int r = alloc();
        arrive[r] = now;
        u[r] = size;
        g[r] = tokens;
        retries[r] = 0;
        live[r] = true;
        inFlight++;
        return r;
    }

    void release(int r) {
        live[r] = false;
        free[freeCount++] = r;
        inFlight--;
    }

    /** Requests admitted and not yet released. */
    long inFlight() {
        return inFlight;
    }

    /** Slots ever handed out; the live ones are below this. */
    int capacity() {
        return capacity;
    }

    private int alloc() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (capacity == arrive.length) {
            int n = capacity * 2;
            arrive = Arrays.copyOf(arrive, n);
            enq = Arrays.copyOf(enq, n);
            u = Arrays.copyOf(u, n);
            g = Arrays.copyOf(g, n);
            retries = Arrays.copyOf(retries, n);
            live = Arrays.copyOf(live, n);
            free = Arrays.copyOf(free, n);
        }
        return capacity++;
    }
}
