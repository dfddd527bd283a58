package io.sair.sim.bench;

/**
 * What the bench measures of a run beside {@link io.sair.sim.loop.RunResult}: the run's bounds
 * ({@link io.sair.sim.oracle.Hindsight}), the hindsight oracle it is compared with, its surges and its churn.
 *
 * @param fluidBoundPer1k the least billable cost per 1,000 completed requests any autoscaler can have completing
 *        as many of these requests
 * @param withinSlaUpperPct no run of these requests finishes more of them within the SLA (percent)
 * @param peakLoadRatio above 1: some request misses the SLA whatever the autoscaler
 * @param oracleBillablePer1k the cheapest oracle setting on the same requests whose share within the SLA is at
 *        least this run's (NaN when no setting reached it)
 * @param surgeToCapacityS mean seconds from a surge's start until the ready capacity covers its peak ({@link Surges})
 * @param scalingActions stage changes applied; @param replicaChanges the sum of |replica steps| applied
 */
record RunExtras(double fluidBoundPer1k, double withinSlaUpperPct, double peakLoadRatio, double oracleBillablePer1k,
                 double oracleWithinSlaPct, String oracleSetting, int surges, double surgeToCapacityS, int surgesUncovered,
                 long scalingActions, long replicaChanges) {

    RunExtras withOracle(double billablePer1k, double withinSlaPct, String setting) {
        return new RunExtras(fluidBoundPer1k, withinSlaUpperPct, peakLoadRatio, billablePer1k, withinSlaPct, setting,
                surges, surgeToCapacityS, surgesUncovered, scalingActions, replicaChanges);
    }
}
