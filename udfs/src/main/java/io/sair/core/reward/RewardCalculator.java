package io.sair.core.reward;

import io.sair.core.model.RewardBreakdown;

/**
 * The shaped reward of one decision, measured on the window after it (DESIGN.md section 5):
 * R = wL dL + wC dC + R_sla + R_pareto + R_bonus, clipped. Pure: the frontier is read, not changed.
 */
public final class RewardCalculator {

    private static final double SQRT2 = Math.sqrt(2.0);

    private final RewardConfig config;

    public RewardCalculator(RewardConfig config) {
        this.config = config;
    }

    /**
     * @param before p99 and cost of the window the decision was taken in
     * @param after p99 and cost of the window after it
     * @param slaMs the p99 target
     * @param scaleUpShare mean over action dimensions of the normalised scale-up of the decision, in [0,1]
     * @param after01 the measured window as a normalised point
     * @param frontier the frontier before this point is inserted
     */
    public RewardBreakdown evaluate(Window before, Window after, double slaMs, double scaleUpShare, ParetoPoint after01,
                                    ParetoFrontier frontier) {
        double dL = before.p99Ms() > 0 ? clip((before.p99Ms() - after.p99Ms()) / before.p99Ms(), 1.0) : 0.0;
        double dC = before.costPerHour() > 0
                ? clip(-(after.costPerHour() - before.costPerHour()) / before.costPerHour(), 1.0) : 0.0;
        double latency = config.latencyWeight() * dL;
        double cost = config.costWeight() * dC;
        double sla = -slaPenalty(violation(after.p99Ms(), slaMs));
        boolean dominated = frontier.isDominated(after01);
        double pareto = paretoTerm(after01, frontier);
        double vBefore = violation(before.p99Ms(), slaMs);
        double bonus = vBefore > 0 ? config.bonusWeight() * Math.min(vBefore, 1.0) * clamp01(scaleUpShare) : 0.0;
        double total = clip(latency + cost + sla + pareto + bonus, config.clip());
        return new RewardBreakdown(latency, cost, sla, pareto, bonus, total, dominated, after01.latency(), after01.cost());
    }

    /** Non-dominated: margin + hypervolume contribution (>= margin); dominated: -distance/sqrt2 (<= 0). */
    public double paretoTerm(ParetoPoint p, ParetoFrontier frontier) {
        if (frontier.isDominated(p)) {
            return -frontier.distance(p) / SQRT2;
        }
        return config.paretoMargin() + frontier.hypervolumeContribution(p);
    }

    /** Relative SLA overshoot v = max(0, p99/SLA - 1). */
    public static double violation(double p99Ms, double slaMs) {
        return slaMs > 0 ? Math.max(0.0, p99Ms / slaMs - 1.0) : 0.0;
    }

    double slaPenalty(double v) {
        double raw = config.quadraticSla() ? v * v : v;
        return Math.min(config.slaPenaltyCap(), raw);
    }

    private static double clip(double v, double bound) {
        if (Double.isNaN(v)) {
            return 0.0;
        }
        return Math.max(-bound, Math.min(bound, v));
    }

    private static double clamp01(double v) {
        return Double.isNaN(v) ? 0.0 : Math.max(0.0, Math.min(1.0, v));
    }

    /** p99 and effective cost of one window. */
    public record Window(double p99Ms, double costPerHour) {
    }
}
