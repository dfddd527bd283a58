package io.sair.sim;

import io.sair.core.model.Allocation;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import java.util.List;

/** Small specs for plant tests. */
public final class TestPipelines {

    private TestPipelines() {
    }

    public static PipelineSpec single(String name, StageKind kind, Allocation initial, double slaMs) {
        return single(name, kind, initial, slaMs, false);
    }

    public static PipelineSpec single(String name, StageKind kind, Allocation initial, double slaMs, boolean inPlace) {
        StageLimits l = StageLimits.defaults().withReplicas(1, 16).withCpu(100, 16_000).withMemory(128, 65_536);
        KubeTarget k = new KubeTarget("default", name, name, inPlace);
        return new PipelineSpec(null, "p", List.of(new StageSpec(name, kind, k, l, null, initial)), slaMs, null, null, null);
    }
}
