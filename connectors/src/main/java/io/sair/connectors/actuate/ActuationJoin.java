package io.sair.connectors.actuate;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.flink.SpecChange;
import io.sair.flink.Specs;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairs each decision that changes something with its pipeline's spec (the spec says where the stages
 * live). Decisions that change nothing are not actuated: their targets are already in place. A decision
 * whose spec is unknown here (removed meanwhile) is dropped, counted and logged.
 */
public final class ActuationJoin extends KeyedBroadcastProcessFunction<String, ScalingDecision, SpecChange,
        ActuationRequest> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ActuationJoin.class);

    private transient Counter withoutSpec;

    @Override
    public void open(OpenContext openContext) {
        withoutSpec = getRuntimeContext().getMetricGroup().addGroup("sair").counter("actuationsWithoutSpec");
    }

    @Override
    public void processElement(ScalingDecision d, ReadOnlyContext ctx, Collector<ActuationRequest> out)
            throws Exception {
        if (!d.changesAnything()) {
            return;
        }
        PipelineSpec spec = ctx.getBroadcastState(Specs.DESCRIPTOR).get(d.pipeline());
        if (spec == null) {
            withoutSpec.inc();
            LOG.warn("decision {} not actuated: no spec for pipeline {}", d.decisionId(), d.pipeline());
            return;
        }
        out.collect(new ActuationRequest(d, spec));
    }

    @Override
    public void processBroadcastElement(SpecChange change, Context ctx, Collector<ActuationRequest> out)
            throws Exception {
        Specs.apply(change, ctx.getBroadcastState(Specs.DESCRIPTOR));
    }
}
