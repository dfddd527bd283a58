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

    /** The same stage with per-generated-token work (text generation post-processing). */
    public StageModel withGMs(double g) {
        return new StageModel(name, kind, batchMs, itemMs, uMs, g, stepMs, stepGrowth, maxBatch, slots, alpha, baseMemMb,
                wsMb, wsMbPerU, startupMs);
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
