package io.sair.core.policy;

/**
 * The M/M/c queue's waiting time: how long requests wait for one of {@code servers} replicas when
 * {@code offered} replicas' worth of work arrives (arrival rate x service time). Used to size a stage
 * by the latency its share of the SLA allows rather than by a fixed utilisation: at the same 70 %
 * busy, a stage with 2 s requests waits seconds, one with 5 ms requests waits milliseconds.
 *
 * <p>A batching GPU serves a queue faster than one request at a time, so for it the model overstates
 * the wait: it errs towards holding capacity.
 */
public final class ErlangC {

    private ErlangC() {
    }

    /** The probability that a request waits at all (Erlang's C formula); 1 when the servers cannot keep up. */
    public static double probabilityOfWaiting(int servers, double offered) {
        if (servers <= 0 || offered >= servers) {
            return 1.0;
        }
        if (offered <= 0) {
            return 0.0;
        }
        double b = 1.0; // Erlang B, built up one server at a time (stable for any size)
        for (int k = 1; k <= servers; k++) {
            b = offered * b / (k + offered * b);
        }
        double rho = offered / servers;
        return b / (1 - rho * (1 - b));
    }

    /**
     * The 99th percentile of the wait, in the unit of {@code serviceTime}: 0 when fewer than 1 in 100 requests
     * wait; infinite when the servers cannot keep up.
     */
    public static double waitP99(int servers, double offered, double serviceTime) {
        if (servers <= 0 || offered >= servers) {
            return Double.POSITIVE_INFINITY;
        }
        double waiting = probabilityOfWaiting(servers, offered);
        if (waiting <= 0.01) {
            return 0.0;
        }
        // P(W > t) = C exp(-(c - a) t / S)
        return serviceTime * Math.log(waiting / 0.01) / (servers - offered);
    }
}
