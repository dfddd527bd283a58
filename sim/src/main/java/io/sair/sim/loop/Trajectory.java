package io.sair.sim.loop;

import java.util.Arrays;

/** Per-window series of a run (for the charts): time, arrival rate, p99, pods, effective cost per hour. */
public final class Trajectory {

    private double[] tSec = new double[64];
    private double[] arrivalRps = new double[64];
    private double[] p99Ms = new double[64];
    private double[] replicas = new double[64];
    private double[] costPerHour = new double[64];
    private int n;

    void add(double t, double arrival, double p99, double pods, double cost) {
        if (n == tSec.length) {
            int c = n * 2;
            tSec = Arrays.copyOf(tSec, c);
            arrivalRps = Arrays.copyOf(arrivalRps, c);
            p99Ms = Arrays.copyOf(p99Ms, c);
            replicas = Arrays.copyOf(replicas, c);
            costPerHour = Arrays.copyOf(costPerHour, c);
        }
        tSec[n] = t;
        arrivalRps[n] = arrival;
        p99Ms[n] = p99;
        replicas[n] = pods;
        costPerHour[n] = cost;
        n++;
    }

    public int size() {
        return n;
    }

    public double[] tSec() {
        return Arrays.copyOf(tSec, n);
    }

    public double[] arrivalRps() {
        return Arrays.copyOf(arrivalRps, n);
    }

    public double[] p99Ms() {
        return Arrays.copyOf(p99Ms, n);
    }

    public double[] replicas() {
        return Arrays.copyOf(replicas, n);
    }

    public double[] costPerHour() {
        return Arrays.copyOf(costPerHour, n);
    }
}
