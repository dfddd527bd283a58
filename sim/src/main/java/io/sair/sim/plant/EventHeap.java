package io.sair.sim.plant;

import java.util.Arrays;

/** A binary min-heap of (time, payload) pairs on primitive arrays: no boxing, no per-event objects. */
final class EventHeap {

    private double[] time = new double[256];
    private long[] payload = new long[256];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    double peekTime() {
        return size == 0 ? Double.POSITIVE_INFINITY : time[0];
    }

    long peekPayload() {
        return payload[0];
    }

    void push(double t, long p) {
        if (size == time.length) {
            time = Arrays.copyOf(time, size * 2);
            payload = Arrays.copyOf(payload, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            // Ties break on the payload so that the order never depends on insertion history alone.
            if (time[parent] < t || time[parent] == t && payload[parent] <= p) {
                break;
            }
            time[i] = time[parent];
            payload[i] = payload[parent];
            i = parent;
        }
        time[i] = t;
        payload[i] = p;
    }

    /** Removes the minimum; read it first with {@link #peekTime()} and {@link #peekPayload()}. */
    void pop() {
        int n = --size;
        if (n == 0) {
            return;
        }
        double t = time[n];
        long p = payload[n];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) {
                break;
            }
            if (c + 1 < n && (time[c + 1] < time[c] || time[c + 1] == time[c] && payload[c + 1] < payload[c])) {
                c++;
            }
            if (t < time[c] || t == time[c] && p <= payload[c]) {
                break;
            }
            time[i] = time[c];
            payload[i] = payload[c];
            i = c;
        }
        time[i] = t;
        payload[i] = p;
    }
}
