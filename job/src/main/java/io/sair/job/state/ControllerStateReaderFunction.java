package io.sair.job.state;

import io.sair.core.ControllerState;
import io.sair.core.model.PipelineSpec;
import io.sair.flink.ControllerOperator;
import io.sair.flink.KeyedSpecs;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the controller's keyed state through the job's own descriptors, so reader and job cannot disagree: the learned
 * state and the pipeline's spec ({@link KeyedSpecs#SPEC}; a savepoint of layout v1-v5 holds specs in broadcast state
 * instead, read beside this by {@link LearnedStateReader}).
 */
final class ControllerStateReaderFunction extends KeyedStateReaderFunction<String, PipelineState> {

    private transient ValueState<ControllerState> state;
    private transient ValueState<PipelineSpec> spec;

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(ControllerOperator.STATE);
        spec = getRuntimeContext().getState(KeyedSpecs.SPEC);
    }

    @Override
    public void readKey(String pipeline, Context ctx, Collector<PipelineState> out) throws Exception {
        ControllerState s = state.value();
        PipelineSpec p = spec.value();
        if (s != null || p != null) {
            out.collect(new PipelineState(pipeline, s, p));
        }
    }
}
