package io.sair.connectors.actuate;

import io.sair.core.model.KubeTarget;
import io.sair.core.model.Mode;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageSpec;
import java.util.Optional;

/** A decision with the spec it was made under: the spec says where each stage lives. */
public record ActuationRequest(ScalingDecision decision, PipelineSpec spec) {

    /** Shadow mode, by the decision or by the spec now in force: compute and report, apply nothing. */
    public boolean shadow() {
        return decision.mode() == Mode.SHADOW || spec.mode() == Mode.SHADOW;
    }

    /** Where the stage runs on Kubernetes: its target, when it names a Deployment; empty otherwise. */
    public Optional<KubeTarget> deploymentOf(String stage) {
        return spec.stage(stage).map(StageSpec::kubernetes)
                .filter(kt -> kt.deployment() != null && !kt.deployment().isBlank());
    }
}
