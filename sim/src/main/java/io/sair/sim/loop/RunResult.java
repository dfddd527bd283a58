package io.sair.sim.loop;

/**
 * One run of the grid: the columns of results.csv plus what the harness prints.
 *
 * @param requests requests that arrived
 * @param slaViolationPct share of requests over the SLA or dropped, in percent
 * @param throughputRps completed requests per second from the first arrival to the last completion
 * @param decisions decisions that changed something
 * @param meanReplicas pods over all stages, averaged over simulated time
 */
public record RunResult(String app, String pattern, String autoscaler, long seed, long requests, double p50Ms,
                        double p99Ms, double slaViolationPct, double throughputRps, double billableCostPer1k,
                        double effectiveCostPer1k, long decisions, double meanReplicas, long failed, long oomKills,
                        double simSeconds, double wallSeconds, Trajectory trajectory) {

    public boolean slaMet(double slaMs) {
        return p99Ms <= slaMs;
    }
}
