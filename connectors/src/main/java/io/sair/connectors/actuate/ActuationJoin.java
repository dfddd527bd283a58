package io.sair.connectors.actuate;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.flink.SpecChange;
import io.sair.flink.Specs;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairs each decision that changes something with its pipeline's spec (the spec says where the stages
 * live). Decisions that change nothing are not actuated: their targets are already in place. A decision
 * that comes before its spec (the controller had it; this step gets the specs on its own broadcast channel)
 * waits in keyed state and is actuated when the spec comes; one whose pipeline is removed first is dropped,
 * counted and logged.
 */
public final class ActuationJoin extends KeyedBroadcastProcessFunction<String, ScalingDecision, SpecChange,
        ActuationRequest> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ActuationJoin.class);

    /** Decisions that came before their pipeline's spec, oldest first. */
    static final ListStateDescriptor<ScalingDecision> AWAITING_SPEC =
            new ListStateDescriptor<>("decisions-awaiting-spec", TypeInformation.of(ScalingDecision.class));

    private transient Counter withoutSpec;
    private transient ListState<ScalingDecision> awaiting;

    @Override
    public void open(OpenContext openContext) {
        withoutSpec = getRuntimeContext().getMetricGroup().addGroup("sair").counter("actuationsWithoutSpec");
        awaiting = getRuntimeContext().getListState(AWAITING_SPEC);
    }

    @Override
    public void processElement(ScalingDecision d, ReadOnlyContext ctx, Collector<ActuationRequest> out)
            throws Exception {
        if (!d.changesAnything()) {
            return;
        }
        PipelineSpec spec = ctx.getBroadcastState(Specs.DESCRIPTOR).get(d.pipeline());
        if (spec == null) {
            awaiting.add(d);
            return;
        }
        out.collect(new ActuationRequest(d, spec));
    }

    @Override
    public void processBroadcastElement(SpecChange change, Context ctx, Collector<ActuationRequest> out)
            throws Exception {
        Specs.apply(change, ctx.getBroadcastState(Specs.DESCRIPTOR));
        PipelineSpec spec = ctx.getBroadcastState(Specs.DESCRIPTOR).get(change.pipeline());
        ctx.applyToKeyedState(AWAITING_SPEC, (key, state) -> {
            if (!key.equals(change.pipeline())) {
                return;
            }
            for (ScalingDecision d : state.get()) {
                if (spec != null) {
                    out.collect(new ActuationRequest(d, spec));
                } else {
                    withoutSpec.inc();
                    LOG.warn("decision {} not actuated: pipeline {} removed", d.decisionId(), d.pipeline());
                }
            }
            state.clear();
        });
    }
}
