package io.sair.flink;

import io.sair.core.model.PipelineSpec;

/**
 * A record of the pipelines topic: a spec to install, a removal (tombstone: {@code spec} null, no
 * error), or a spec that could not be used ({@code error}).
 */
public record SpecChange(String pipeline, PipelineSpec spec, String error, RawRecord raw) {

    public boolean removal() {
        return spec == null && error == null;
    }
}
