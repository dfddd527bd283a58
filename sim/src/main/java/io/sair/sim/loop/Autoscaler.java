package io.sair.sim.loop;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingDecision;
import java.util.Optional;

/** Decides once per window; one instance per run (it may keep state). */
public interface Autoscaler {

    String name();

    /** The validated decision for this window, or empty when the autoscaler skips it. */
    Optional<ScalingDecision> decide(PipelineContext ctx);
}
