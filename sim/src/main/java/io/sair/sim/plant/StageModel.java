package io.sair.sim.plant;

import io.sair.core.model.StageKind;

/**
 * How one stage behaves in the simulator. A server (one of {@code slots} per replica) takes a batch of
 * up to {@code maxBatch} waiting requests and works on it for
 * <pre>
 *   raw = batchMs + sum_i (itemMs + uMs * u_i + gMs * g_i) + stepMs * max_i g_i * (1 + stepGrowth * (n - 1))
 *   CPU: raw * f(cpuMillis / slots)                       GPU: raw / rate
 *   f(m) = 1000 / m            for m below one core (CFS quota: a fraction of a core is proportionally slower)
 *   f(m) = (1000 / m)^alpha    from one core up (extra cores help only the parallel part)
 * </pre>
 * where u is a request's size (pixels, text length, context tokens, frames) and g its generated
 * tokens. Each request in service holds {@code wsMb + wsMbPerU * u} of memory on top of the replica's
 * {@code baseMemMb}; going over the replica's memory limit kills the replica (OOM).
 *
 * @param alpha CPU scaling exponent: 1 = perfectly CPU-bound, lower = part of the work does not speed up
 * @param startupMs time from creating a replica to it taking work (image pull, model load)
 */
public record StageModel(String name, StageKind kind, double batchMs, double itemMs, double uMs, double gMs,
                         double stepMs, double stepGrowth, int maxBatch, int slots, double alpha, double baseMemMb,
                         double wsMb, double wsMbPerU, long startupMs) {

    public StageModel {
        if (maxBatch < 1 || slots < 1 || startupMs < 0 || alpha < 0) {
            throw new IllegalArgumentException("stage " + name + ": maxBatch, slots >= 1, startupMs, alpha >= 0");
        }
    }

    /** A CPU stage: one request per server, service linear in u. */
    public static StageModel cpu(String name, double itemMs, double uMs, double alpha, int slots, double baseMemMb,
                                 double wsMb, double wsMbPerU, long startupMs) {
        return new StageModel(name, StageKind.CPU, 0, itemMs, uMs, 0, 0, 0, 1, slots, alpha, baseMemMb, wsMb, wsMbPerU,
                startupMs);
    }

    /** A CPU stage, its numbers by name: one request per server unless {@code slots} says more. */
    public static Builder cpu(String name) {
        return new Builder(name, StageKind.CPU);
    }

    /** A GPU stage, its numbers by name: batches of up to {@code maxBatch}, service divided by the rate. */
    public static Builder gpu(String name) {
        return new Builder(name, StageKind.GPU);
    }

    /** Names every number of a stage; what is not named is 0 ({@code maxBatch} and {@code slots}: 1). */
    public static final class Builder {
        private final String name;
        private final StageKind kind;
        private double batchMs;
        private double itemMs;
        private double uMs;
        private double gMs;
        private double stepMs;
        private double stepGrowth;
        private int maxBatch = 1;
        private int slots = 1;
        private double alpha;
        private double baseMemMb;
        private double wsMb;
        private double wsMbPerU;
        private long startupMs;

        private Builder(String name, StageKind kind) {
            this.name = name;
            this.kind = kind;
        }

        /** Work per batch, whatever its size (ms). */
        public Builder batchMs(double v) {
            batchMs = v;
            return this;
        }

        /** Work per request (ms). */
        public Builder itemMs(double v) {
            itemMs = v;
            return this;
        }

        /** Work per unit of request size u (ms). */
        public Builder uMs(double v) {
            uMs = v;
            return this;
        }

        /** Work per generated token g (ms). */
        public Builder gMs(double v) {
            gMs = v;
            return this;
        }

        /** Work per decode step of the batch's longest output (ms). */
        public Builder stepMs(double v) {
            stepMs = v;
            return this;
        }

        /** How much slower each step gets per extra request in the batch (0.03 = 3%). */
        public Builder stepGrowth(double v) {
            stepGrowth = v;
            return this;
        }

        public Builder maxBatch(int v) {
            maxBatch = v;
            return this;
        }

        /** Servers per replica (requests worked on at once). */
        public Builder slots(int v) {
            slots = v;
            return this;
        }

        /** CPU scaling exponent (see the record). */
        public Builder alpha(double v) {
            alpha = v;
            return this;
        }

        public Builder baseMemMb(double v) {
            baseMemMb = v;
            return this;
        }

        /** Memory per request in service (MB). */
        public Builder wsMb(double v) {
            wsMb = v;
            return this;
        }

        /** Memory per request in service per unit of size u (MB). */
        public Builder wsMbPerU(double v) {
            wsMbPerU = v;
            return this;
        }

        /** From creating a replica to it taking work (ms). */
        public Builder startupMs(long v) {
            startupMs = v;
            return this;
        }

        public StageModel build() {
            return new StageModel(name, kind, batchMs, itemMs, uMs, gMs, stepMs, stepGrowth, maxBatch, slots, alpha,
                    baseMemMb, wsMb, wsMbPerU, startupMs);
        }
    }

    /** Service-time factor of a CPU server with {@code millisPerServer} millicores (1 at one core). */
    public double cpuFactor(double millisPerServer) {
        double r = 1000.0 / millisPerServer;
        return millisPerServer < 1000 ? r : Math.pow(r, alpha);
    }

    /** Service time of one request alone at the reference allocation (1000 m per slot, rate 1.0). */
    public double referenceMs(double u, double g) {
        return batchMs + itemMs + uMs * u + gMs * g + stepMs * g;
    }
}
