package io.sair.connectors.actuate;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.flink.KeyedSpecs;
import io.sair.flink.SpecChange;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairs each decision that changes something with its pipeline's spec (the spec says where the stages
 * live). Decisions that change nothing are not actuated: their targets are already in place. A decision
 * that comes before its spec (the controller had it; this step gets the spec changes on its own broadcast channel)
 * waits in keyed state and is actuated when the spec comes; one whose pipeline is removed first is dropped,
 * counted and logged.
 *
 * <p>An operator rather than a {@code KeyedBroadcastProcessFunction}, so that each pipeline's spec is kept by the
 * subtask that owns it, in keyed state ({@link KeyedSpecs}), not in broadcast state written whole by every subtask at
 * every checkpoint. Keyed {@code decisions-awaiting-spec} and the uid are the former function's; its broadcast specs
 * move to keyed state at a restore.
 */
public final class ActuationJoin extends AbstractStreamOperator<ActuationRequest>
        implements TwoInputStreamOperator<ScalingDecision, SpecChange, ActuationRequest> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ActuationJoin.class);

    /** Decisions that came before their pipeline's spec, oldest first. */
    static final ListStateDescriptor<ScalingDecision> AWAITING_SPEC =
            new ListStateDescriptor<>("decisions-awaiting-spec", TypeInformation.of(ScalingDecision.class));

    private transient Counter withoutSpec;
    private transient ListState<ScalingDecision> awaiting;
    private transient KeyedSpecs specs;

    @Override
    public void open() throws Exception {
        super.open();
        withoutSpec = getRuntimeContext().getMetricGroup().addGroup("sair").counter("actuationsWithoutSpec");
        awaiting = getRuntimeContext().getListState(AWAITING_SPEC);
        specs = KeyedSpecs.open(this);
    }

    @Override
    public void processElement1(StreamRecord<ScalingDecision> record) throws Exception {
        ScalingDecision d = record.getValue();
        if (!d.changesAnything()) {
            return;
        }
        PipelineSpec spec = specs.get(d.pipeline());
        if (spec == null) {
            awaiting.add(d);
            return;
        }
        output.collect(record.replace(new ActuationRequest(d, spec)));
    }

    /** A spec change, kept by the subtask that owns the pipeline; the decisions that waited for it go (or drop) now. */
    @Override
    public void processElement2(StreamRecord<SpecChange> record) throws Exception {
        SpecChange change = record.getValue();
        if (!specs.apply(change)) {
            return; // another subtask's pipeline (it is the current key where this one's)
        }
        PipelineSpec spec = specs.get(change.pipeline());
        Iterable<ScalingDecision> waiting = awaiting.get();
        if (waiting == null) {
            return;
        }
        for (ScalingDecision d : waiting) {
            if (spec != null) {
                output.collect(new StreamRecord<>(new ActuationRequest(d, spec), d.windowEnd() - 1));
            } else {
                withoutSpec.inc();
                LOG.warn("decision {} not actuated: pipeline {} removed", d.decisionId(), d.pipeline());
            }
        }
        awaiting.clear();
    }
}
