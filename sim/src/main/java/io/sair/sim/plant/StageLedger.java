package io.sair.sim.plant;

import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.Prices;
import io.sair.core.model.StageSpec;

/**
 * One stage's time integrals: busy and ready servers and memory since the last report (for its
 * utilisation), and the cost and pod time of the run. Brought up to date ({@link #touch}) before anything
 * about the stage changes, so that each integrand is constant between two touches.
 */
final class StageLedger {

    private static final double MS_PER_HOUR = 3_600_000.0;

    private final StageSpec stage;
    private final Prices prices;
    private double lastT;
    private double busyArea;
    private double capArea;
    private double memArea;
    private double memLimArea;
    private double billPerHour;
    private double effPerHour;

    StageLedger(StageSpec stage, Prices prices) {
        this.stage = stage;
        this.prices = prices;
    }

    void touch(double now, Pods pods, RunTally tally) {
        double dt = now - lastT;
        if (dt > 0) {
            busyArea += pods.busy * dt;
            capArea += pods.cap * dt;
            memArea += pods.memUsed * dt;
            memLimArea += pods.memLimit * dt;
            tally.billableDollars += billPerHour * dt / MS_PER_HOUR;
            tally.effectiveDollars += effPerHour * dt / MS_PER_HOUR;
            tally.podMs += pods.existing * dt;
            lastT = now;
        }
    }

    /** Re-prices the stage after its pods or their rate changed: every existing pod is billed. */
    void refreshCost(Pods pods) {
        double bill = 0;
        double eff = 0;
        for (int p = 0; p < pods.podState.length; p++) {
            if (pods.podState[p] != Pods.FREE) {
                Allocation a = new Allocation(1, pods.podCpu[p], pods.podMem[p], pods.rate);
                bill += CostModel.stageBillable(stage, a, prices);
                eff += CostModel.stageEffective(stage, a, prices);
            }
        }
        billPerHour = bill;
        effPerHour = eff;
    }

    /** Busy over ready server time since the last report; 1 with work waiting and no server ready. */
    double utilisation(long queued) {
        return capArea > 0 ? Math.min(1.0, busyArea / capArea) : (queued > 0 ? 1.0 : 0.0);
    }

    /** Memory in use over the limits, averaged over ready pod time since the last report. */
    double meanMemShare() {
        return memLimArea > 0 ? memArea / memLimArea : 0.0;
    }

    void startPeriod() {
        busyArea = 0;
        capArea = 0;
        memArea = 0;
        memLimArea = 0;
    }
}
