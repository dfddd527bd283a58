package io.sair.sim.oracle;

import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.Prices;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.sim.plant.StageModel;

/**
 * Per-request bounds on one stage's work, from {@link StageModel}'s service-time formula. Work is in "raw" ms (the
 * formula before the CPU factor or the GPU rate). Every bound here holds for any allocation within the stage's
 * {@link StageLimits} and any batching the plant forms; that is what makes the oracle's bounds bounds.
 */
public final class WorkBounds {

    private WorkBounds() {
    }

    /**
     * A lower bound on the raw work one request adds to any batch it is served in. A batch of n costs
     * {@code batchMs + sum(item + u + g terms) + stepMs * max g * (1 + growth (n - 1))}; splitting it over its
     * requests, {@code batchMs / n >= batchMs / maxBatch} and, since {@code max g >= mean g},
     * {@code stepMs * max g * (1 + growth (n - 1)) >= sum_i stepMs * g_i * c(n)} with {@code c(n) = growth + (1 -
     * growth) / n}, monotone in n, so at least {@code min(c(1), c(maxBatch))}. The sum over a batch's requests is
     * therefore at most the batch's raw time.
     */
    public static double minRawMs(StageModel m, double u, double g) {
        int n = m.maxBatch();
        double c = Math.min(1.0, m.stepGrowth() + (1 - m.stepGrowth()) / n);
        return m.batchMs() / n + m.itemMs() + m.uMs() * u + m.gMs() * g + m.stepMs() * g * c;
    }

    /** The raw time of a request served alone (n = 1): no batch it joins is shorter. */
    public static double soloRawMs(StageModel m, double u, double g) {
        return m.batchMs() + m.itemMs() + m.uMs() * u + m.gMs() * g + m.stepMs() * g;
    }

    /** Wall ms per raw ms of one server at an allocation: the CPU factor of its share of the pod, or 1 / rate. */
    public static double slowdown(StageModel m, Allocation a) {
        return m.kind() == StageKind.GPU ? 1.0 / a.rate() : m.cpuFactor(a.cpuMillis() / (double) m.slots());
    }

    /** The smallest slowdown the limits allow: the most CPU per server (the factor falls with CPU), or the top rate. */
    public static double bestSlowdown(StageSpec s, StageModel m) {
        StageLimits l = s.limits();
        return m.kind() == StageKind.GPU ? 1.0 / l.maxRate() : m.cpuFactor(l.maxCpuMillis() / (double) m.slots());
    }

    /**
     * The least billable dollars one server-ms of raw work can cost within the limits. A pod is billed for its
     * whole life and its {@code slots} servers work at most all of it, so a raw ms costs at least
     * {@code price(pod) * slowdown / slots}. Billable cost does not depend on the GPU rate, so a GPU stage is
     * cheapest at the top rate with the least CPU and memory; a CPU stage at the least memory and the CPU (every
     * whole millicore in the limits is tried; the plant's CPU is an int) that minimises price x factor.
     */
    public static double cheapestDollarsPerRawMs(StageSpec s, StageModel m, Prices p) {
        StageLimits l = s.limits();
        if (m.kind() == StageKind.GPU) {
            double perHour = CostModel.stageBillable(s, new Allocation(1, l.minCpuMillis(), l.minMemoryMb(), l.maxRate()), p);
            return perHour / 3_600_000.0 / l.maxRate() / m.slots();
        }
        double best = Double.POSITIVE_INFINITY;
        int lo = l.minCpuMillis();
        int hi = l.maxCpuMillis();
        for (int c = lo; c <= hi; c++) {
            double perHour = CostModel.stageBillable(s, new Allocation(1, c, l.minMemoryMb(), 1.0), p);
            best = Math.min(best, perHour * m.cpuFactor(c / (double) m.slots()) / m.slots());
        }
        return best / 3_600_000.0;
    }

    /** The least billable dollars per ms that the stage's minimum replicas cost: each at the least CPU and memory. */
    public static double floorDollarsPerMs(StageSpec s, Prices p) {
        StageLimits l = s.limits();
        return CostModel.stageBillable(s, new Allocation(l.minReplicas(), l.minCpuMillis(), l.minMemoryMb(), l.maxRate()), p)
                / 3_600_000.0;
    }
}
