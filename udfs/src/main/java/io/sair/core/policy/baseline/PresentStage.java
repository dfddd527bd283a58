package io.sair.core.policy.baseline;

import io.sair.core.model.Allocation;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.PolicyInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A stage of the spec that reported in this window: what it may do and what it does now. */
record PresentStage(StageSpec spec, StageWindow window) {

    /** The spec's stages, in order, that are present in the context; a stage that did not report is left alone. */
    static List<PresentStage> of(PolicyInput in) {
        List<PresentStage> out = new ArrayList<>();
        for (StageSpec s : in.spec().stages()) {
            Optional<StageWindow> w = in.context().stage(s.name());
            w.ifPresent(window -> out.add(new PresentStage(s, window)));
        }
        return out;
    }

    String name() {
        return spec.name();
    }

    Allocation current() {
        return window.allocation();
    }

    StageLimits limits() {
        return spec.limits();
    }

    /** The replica bounds a production autoscaler would be given: the spec's, never below one pod. */
    int minReplicas() {
        return Math.max(1, limits().minReplicas());
    }

    int maxReplicas() {
        return Math.max(minReplicas(), limits().maxReplicas());
    }

    int clampReplicas(long replicas) {
        return (int) Math.max(minReplicas(), Math.min(maxReplicas(), replicas));
    }
}
