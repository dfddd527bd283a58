package io.sair.job.state;

import io.sair.core.ControllerState;
import io.sair.flink.ControllerOperator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

/** Reads the controller's keyed state through the job's own descriptor, so reader and job cannot disagree. */
final class ControllerStateReaderFunction extends KeyedStateReaderFunction<String, PipelineState> {

    private transient ValueState<ControllerState> state;

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(ControllerOperator.STATE);
    }

    @Override
    public void readKey(String pipeline, Context ctx, Collector<PipelineState> out) throws Exception {
        ControllerState s = state.value();
        if (s != null) {
            out.collect(new PipelineState(pipeline, s, null));
        }
    }
}
