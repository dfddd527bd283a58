package io.sair.flink;

import io.sair.core.model.PipelineSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;

/**
 * The specs of the pipelines one keyed subtask owns, for an operator that takes every spec change on a broadcast
 * input: kept in keyed state by pipeline ({@code pipeline-spec}, written when a spec changes) and read from a map in
 * memory. Broadcast state is written whole, by every subtask of every operator that holds it, at every checkpoint:
 * with the gate's, the context step's and the controller's copies it was 36 of the 44 MB of a 10,000-pipeline
 * checkpoint, and each added subtask wrote every spec once more. Keyed state is written once, by the owner, and an
 * incremental checkpoint carries only what changed. The actuation join keeps its specs here too.
 *
 * <p>A savepoint written before (state layout v1-v5) holds the specs in broadcast state ({@link Specs#DESCRIPTOR}),
 * restored whole to every subtask: {@link #open} moves the owned ones into keyed state and empties it.
 */
public final class KeyedSpecs {

    public static final ValueStateDescriptor<PipelineSpec> SPEC =
            new ValueStateDescriptor<>("pipeline-spec", TypeInformation.of(PipelineSpec.class));

    private final AbstractStreamOperator<?> operator;
    private final ValueState<PipelineSpec> state;
    private final Map<String, PipelineSpec> byName = new HashMap<>();
    private boolean restoredAny;

    private KeyedSpecs(AbstractStreamOperator<?> operator, ValueState<PipelineSpec> state) {
        this.operator = operator;
        this.state = state;
    }

    /**
     * The specs this subtask's keyed state holds, and those a savepoint of the former layout holds in broadcast state
     * for its pipelines (moved into keyed state here). Call from the operator's {@code open}: it sets the current key.
     */
    public static KeyedSpecs open(AbstractStreamOperator<?> operator) throws Exception {
        KeyedSpecs specs = new KeyedSpecs(operator, operator.getRuntimeContext().getState(SPEC));
        operator.getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, SPEC,
                (key, s) -> {
                    if (s.value() != null) {
                        specs.byName.put((String) key, s.value());
                    }
                });
        BroadcastState<String, PipelineSpec> former =
                operator.getOperatorStateBackend().getBroadcastState(Specs.DESCRIPTOR);
        List<Map.Entry<String, PipelineSpec>> entries = new ArrayList<>();
        former.entries().forEach(entries::add);
        for (Map.Entry<String, PipelineSpec> e : entries) {
            if (specs.owns(e.getKey()) && !specs.byName.containsKey(e.getKey())) {
                specs.put(e.getKey(), e.getValue());
            }
        }
        specs.restoredAny = !specs.byName.isEmpty() || !entries.isEmpty();
        former.clear();
        return specs;
    }

    /** The spec of a pipeline this subtask owns, or null (none, or another subtask's pipeline). */
    public PipelineSpec get(String pipeline) {
        return byName.get(pipeline);
    }

    /** Whether the restored state held any spec (this subtask's, or the former layout's broadcast copy). */
    public boolean restoredAny() {
        return restoredAny;
    }

    /** How many of its pipelines' specs this subtask holds. */
    public int size() {
        return byName.size();
    }

    /**
     * Installs or removes the spec of a pipeline this subtask owns (it sets the current key to it); a change of
     * another subtask's pipeline, or an unusable spec, changes nothing. True when it was applied here.
     */
    public boolean apply(SpecChange c) throws Exception {
        if (c.error() != null || c.pipeline() == null || !owns(c.pipeline())) {
            return false;
        }
        if (c.removal()) {
            operator.setCurrentKey(c.pipeline());
            state.clear();
            byName.remove(c.pipeline());
        } else {
            put(c.pipeline(), c.spec());
        }
        return true;
    }

    private void put(String pipeline, PipelineSpec spec) throws Exception {
        operator.setCurrentKey(pipeline);
        state.update(spec);
        byName.put(pipeline, spec);
    }

    /** Whether the pipeline's key belongs to this subtask. */
    public boolean owns(String pipeline) {
        var task = operator.getRuntimeContext().getTaskInfo();
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(pipeline, task.getMaxNumberOfParallelSubtasks(),
                task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask();
    }
}
