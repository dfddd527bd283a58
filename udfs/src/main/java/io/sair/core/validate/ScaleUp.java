package io.sair.core.validate;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import java.util.List;
import java.util.Optional;

/** How much an action scaled up: mean over the stages' dimensions of the increase as a fraction of one step. */
public final class ScaleUp {

    private ScaleUp() {
    }

    public static double share(List<StageTarget> targets, PipelineSpec spec) {
        double sum = 0;
        int dims = 0;
        for (StageTarget t : targets) {
            Optional<StageSpec> s = spec.stage(t.stage());
            if (s.isEmpty()) {
                continue;
            }
            StageLimits l = s.get().limits();
            sum += up(t.dReplicas(), l.replicaStep());
            if (s.get().kind() == StageKind.GPU) {
                sum += up(t.dRate(), l.rateStep());
                dims += 2;
            } else {
                sum += up(t.dCpuMillis(), l.cpuStepMillis()) + up(t.dMemoryMb(), l.memoryStepMb());
                dims += 3;
            }
        }
        return dims == 0 ? 0.0 : sum / dims;
    }

    private static double up(double delta, double step) {
        return Math.min(1.0, Math.max(0.0, delta / step));
    }
}
