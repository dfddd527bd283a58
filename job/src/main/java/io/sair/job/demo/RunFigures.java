package io.sair.job.demo;

import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.Totals;

/**
 * The figures the demo compares, computed the same way for SAIR, the baselines and static allocation from the
 * simulated pipeline's own request log (not from window summaries).
 *
 * @param p99Ms end-to-end p99 over every request of the run (requests still inside at the end count with their age)
 * @param slaViolationPct requests over the SLA, dropped, or still inside at the end, in percent
 * @param meanCostPerHour effective cost (GPU scaled by its rate) averaged over simulated time, USD per hour
 * @param costPer1k effective cost per 1,000 completed requests, USD
 * @param billableCostPer1k billable cost (whole GPUs) per 1,000 completed requests, USD: what the bench ranks by
 * @param decisions decisions that changed an allocation
 */
public record RunFigures(String name, long requests, double p99Ms, double slaViolationPct, double meanCostPerHour,
                         double costPer1k, double billableCostPer1k, long decisions) {

    /** Reads the totals of a run that has ended (the caller has called {@link PipelinePlant#abandonInFlight()}). */
    public static RunFigures of(String name, PipelinePlant plant, long decisions) {
        Totals t = plant.totals();
        double p99 = t.e2eMicros().getTotalCount() == 0 ? Double.NaN : t.e2eMicros().getValueAtPercentile(99) / 1000.0;
        long late = t.slaViolations() + t.failed() + t.abandoned();
        double hours = plant.now() / 3_600_000.0;
        double spent = t.spent().effectiveDollars();
        double per1k = t.completed() == 0 ? Double.NaN : 1000.0 / t.completed();
        return new RunFigures(name, t.arrived(), p99, t.arrived() == 0 ? 0 : 100.0 * late / t.arrived(),
                hours > 0 ? spent / hours : Double.NaN, spent * per1k, t.spent().billableDollars() * per1k, decisions);
    }

    /** Requests within the SLA (completed in time), in percent. */
    public double withinSlaPct() {
        return 100.0 - slaViolationPct;
    }
}
