package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/** A proposal for the whole pipeline: at most one action per stage, absolute targets. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScalingAction(List<StageAction> stages) {

    public ScalingAction {
        stages = stages == null ? List.of() : List.copyOf(stages);
    }

    public static ScalingAction none() {
        return new ScalingAction(List.of());
    }

    public static ScalingAction of(StageAction... actions) {
        return new ScalingAction(List.of(actions));
    }

    public Optional<StageAction> forStage(String stage) {
        return stages.stream().filter(a -> stage.equals(a.stage())).findFirst();
    }
}
