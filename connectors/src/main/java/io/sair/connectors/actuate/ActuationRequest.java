package io.sair.connectors.actuate;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;

/** A decision with the spec it was made under: the spec says where each stage lives. */
public record ActuationRequest(ScalingDecision decision, PipelineSpec spec) {
}
