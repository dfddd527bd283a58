package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Every term of the shaped reward of one decision (DESIGN.md section 5).
 *
 * @param latency 0.7 x latency improvement
 * @param cost 0.3 x cost improvement
 * @param sla quadratic SLA penalty (0 or negative)
 * @param pareto 0.2 + hypervolume contribution when not dominated, else minus normalised distance
 * @param bonus proactive multi-stage scale-up bonus under SLA violation
 * @param total sum, clipped
 * @param latencyObjective normalised latency l of the measured window
 * @param costObjective normalised cost c of the measured window
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RewardBreakdown(double latency, double cost, double sla, double pareto, double bonus, double total,
                              boolean dominated, double latencyObjective, double costObjective) {
}
