package io.sair.sim.loop;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingDecision;
import java.util.Optional;

/** Decides once per window; one instance per run (it may keep state). */
public interface Autoscaler {

    String name();

    /** The validated decision for this window, or empty when the autoscaler skips it. */
    Optional<ScalingDecision> decide(PipelineContext ctx);

    /**
     * How often this autoscaler decides, in simulated ms; 0 (the default) to decide at the loop's window.
     * Autoscalers that tick faster than 30 s in production (Knative, Ray Serve) ask for the plant's 5 s reports.
     */
    default long decisionIntervalMs() {
        return 0;
    }
}
