package io.sair.core.reward;

/**
 * Weights and caps of the shaped reward; {@link #defaults()} are the paper's values.
 *
 * @param latencyWeight weight of the latency improvement (0.7)
 * @param costWeight weight of the cost improvement (0.3)
 * @param slaPenaltyCap cap of the SLA penalty (4)
 * @param quadraticSla quadratic urgency (true) or the ablation's linear penalty
 * @param paretoMargin bonus of a non-dominated point over the frontier (0.2, Proposition 5.2)
 * @param bonusWeight weight of the proactive multi-stage scale-up bonus (0.2; 0 disables it)
 * @param clip total reward is clipped to [-clip, clip] (5)
 */
public record RewardConfig(double latencyWeight, double costWeight, double slaPenaltyCap, boolean quadraticSla,
                           double paretoMargin, double bonusWeight, double clip) {

    public static RewardConfig defaults() {
        return new RewardConfig(0.7, 0.3, 4.0, true, 0.2, 0.2, 5.0);
    }

    /** This configuration with a pipeline's overrides (null fields, or null settings, keep this one's values). */
    public RewardConfig with(io.sair.core.model.RewardSettings s) {
        if (s == null) {
            return this;
        }
        return new RewardConfig(or(s.latencyWeight(), latencyWeight), or(s.costWeight(), costWeight),
                or(s.slaPenaltyCap(), slaPenaltyCap), quadraticSla, or(s.paretoMargin(), paretoMargin),
                or(s.bonusWeight(), bonusWeight), or(s.clip(), clip));
    }

    private static double or(Double v, double d) {
        return v == null ? d : v;
    }

    public RewardConfig withWeights(double latency, double cost) {
        return new RewardConfig(latency, cost, slaPenaltyCap, quadraticSla, paretoMargin, bonusWeight, clip);
    }

    public RewardConfig withLinearSla() {
        return new RewardConfig(latencyWeight, costWeight, slaPenaltyCap, false, paretoMargin, bonusWeight, clip);
    }

    public RewardConfig withoutBonus() {
        return new RewardConfig(latencyWeight, costWeight, slaPenaltyCap, quadraticSla, paretoMargin, 0.0, clip);
    }
}
