package io.sair.job.state;

import io.sair.core.ControllerState;
import io.sair.core.model.PipelineSpec;

/**
 * What a savepoint holds about one pipeline: the controller's keyed state (null when the pipeline has
 * a spec but no round was decided yet) and its spec from the controller's broadcast state (null if absent).
 */
public record PipelineState(String pipeline, ControllerState state, PipelineSpec spec) {

    /** The two halves read separately from the savepoint, joined. */
    PipelineState merge(PipelineState other) {
        return new PipelineState(pipeline, state != null ? state : other.state, spec != null ? spec : other.spec);
    }
}
