package io.sair.core.memory;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import java.util.Optional;

/**
 * The context as a vector in [0,1]^d for similarity: per stage (in spec order) utilisation, log queue
 * depth, replicas, CPU and memory relative to their maxima and the GPU rate; then p99/SLA and log
 * arrival rate. A stage missing from the window contributes zeros.
 */
public final class ContextFeatures {

    public static final int PER_STAGE = 6;
    private static final double QUEUE_SCALE = Math.log1p(1000);
    private static final double ARRIVAL_SCALE = Math.log1p(10_000);
    private static final double P99_CAP = 4.0;

    private ContextFeatures() {
    }

    public static double[] of(PipelineContext ctx, PipelineSpec spec) {
        double[] f = new double[spec.stages().size() * PER_STAGE + 2];
        int i = 0;
        for (StageSpec s : spec.stages()) {
            Optional<StageWindow> w = ctx.stage(s.name());
            if (w.isPresent()) {
                StageWindow sw = w.get();
                Allocation a = sw.allocation();
                StageLimits l = s.limits();
                f[i] = clamp(sw.utilisation());
                f[i + 1] = clamp(Math.log1p(Math.max(0, sw.queueDepth())) / QUEUE_SCALE);
                f[i + 2] = clamp((double) a.replicas() / l.maxReplicas());
                f[i + 3] = clamp((double) a.cpuMillis() / l.maxCpuMillis());
                f[i + 4] = clamp((double) a.memoryMb() / l.maxMemoryMb());
                f[i + 5] = s.kind() == StageKind.GPU ? clamp(a.rate()) : 0.0;
            }
            i += PER_STAGE;
        }
        f[i] = ctx.slaMs() > 0 ? clamp(Math.min(P99_CAP, ctx.p99Ms() / ctx.slaMs()) / P99_CAP) : 1.0;
        f[i + 1] = clamp(Math.log1p(Math.max(0, ctx.arrivalRate())) / ARRIVAL_SCALE);
        return f;
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0.0 : Math.max(0.0, Math.min(1.0, v));
    }
}
