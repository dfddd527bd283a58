package io.sair.flink;

import io.sair.core.ControllerState;
import io.sair.core.SairController;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The SAIR controller as a keyed function: loads the pipeline's state, runs one core round on the
 * context, saves the state and emits the decision. The pipeline's removal clears its state.
 */
public final class ControllerFunction
        extends KeyedBroadcastProcessFunction<String, PipelineContext, SpecChange, ScalingDecision> {

    public static final ValueStateDescriptor<ControllerState> STATE =
            new ValueStateDescriptor<>("controller-state", TypeInformation.of(ControllerState.class));

    private final boolean perPipelineMetrics;
    private transient SairController controller;
    private transient ValueState<ControllerState> state;
    private transient ControllerMetrics metrics;

    public ControllerFunction(boolean perPipelineMetrics) {
        this.perPipelineMetrics = perPipelineMetrics;
    }

    @Override
    public void open(OpenContext openContext) {
        controller = SairController.defaults();
        state = getRuntimeContext().getState(STATE);
        metrics = new ControllerMetrics(getRuntimeContext().getMetricGroup(), perPipelineMetrics);
    }

    @Override
    public void processElement(PipelineContext ctx, ReadOnlyContext fctx, Collector<ScalingDecision> out)
            throws Exception {
        PipelineSpec spec = fctx.getBroadcastState(Specs.DESCRIPTOR).get(ctx.pipeline());
        if (spec == null) {
            return;
        }
        ControllerState current = state.value();
        if (current == null) {
            current = ControllerState.initial(spec.policy().epsilon());
        }
        Optional<SairController.Outcome> outcome = controller.step(current, ctx, spec);
        if (outcome.isEmpty()) {
            return;
        }
        state.update(outcome.get().state());
        metrics.record(outcome.get().decision(), outcome.get().state());
        out.collect(outcome.get().decision());
    }

    @Override
    public void processBroadcastElement(SpecChange c, Context ctx, Collector<ScalingDecision> out) throws Exception {
        Specs.apply(c, ctx.getBroadcastState(Specs.DESCRIPTOR));
        if (c.removal()) {
            ctx.applyToKeyedState(STATE, (key, s) -> {
                if (key.equals(c.pipeline())) {
                    s.clear();
                }
            });
        }
    }
}
