package io.sair.core.cost;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.Prices;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import java.util.List;

/**
 * Billable and effective cost per hour (DESIGN.md section 5). Billable bills whole GPUs; effective
 * scales the GPU term by the rate ratio, since a throttled GPU frees capacity for co-located work.
 */
public final class CostModel {

    private CostModel() {
    }

    public static double stageBillable(StageSpec spec, Allocation a, Prices p) {
        return stageCost(spec, a, p, 1.0);
    }

    public static double stageEffective(StageSpec spec, Allocation a, Prices p) {
        return stageCost(spec, a, p, spec.kind() == StageKind.GPU ? a.rate() : 1.0);
    }

    private static double stageCost(StageSpec spec, Allocation a, Prices p, double gpuShare) {
        double perReplica = a.cpuMillis() / 1000.0 * p.coreHour()
                + a.memoryMb() / 1024.0 * p.gibHour()
                + spec.gpus() * p.gpuHour() * gpuShare;
        return a.replicas() * perReplica;
    }

    /**
     * The cost SAIR minimises for this pipeline: the effective one where GPUs are billed by share
     * ({@code prices.gpuShared}), else the billable one (a throttled GPU is still paid for whole).
     */
    public static double optimised(PipelineContext ctx, PipelineSpec spec) {
        return spec.prices().gpuShared() ? ctx.effectiveCostPerHour() : ctx.billableCostPerHour();
    }

    /** Sum over the stages of the spec; {@code allocations} in spec order. */
    public static double billable(PipelineSpec spec, List<Allocation> allocations) {
        double sum = 0;
        for (int i = 0; i < spec.stages().size(); i++) {
            sum += stageBillable(spec.stages().get(i), allocations.get(i), spec.prices());
        }
        return sum;
    }

    public static double effective(PipelineSpec spec, List<Allocation> allocations) {
        double sum = 0;
        for (int i = 0; i < spec.stages().size(); i++) {
            sum += stageEffective(spec.stages().get(i), allocations.get(i), spec.prices());
        }
        return sum;
    }

    /** Effective cost with every stage at its maximum allocation: the denominator of the cost objective. */
    public static double maxEffective(PipelineSpec spec) {
        double sum = 0;
        for (StageSpec s : spec.stages()) {
            StageLimits l = s.limits();
            sum += stageEffective(s, new Allocation(l.maxReplicas(), l.maxCpuMillis(), l.maxMemoryMb(), l.maxRate()),
                    spec.prices());
        }
        return sum;
    }
}
