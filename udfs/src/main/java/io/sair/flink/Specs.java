package io.sair.flink;

import io.sair.core.model.PipelineSpec;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/** The broadcast state of pipeline specs (by pipeline name) and the dead-letter side output, shared by the functions. */
public final class Specs {

    public static final MapStateDescriptor<String, PipelineSpec> DESCRIPTOR =
            new MapStateDescriptor<>("pipeline-specs", Types.STRING, TypeInformation.of(PipelineSpec.class));

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters",
            TypeInformation.of(DeadLetter.class));

    private Specs() {
    }

    /**
     * Installs or removes a spec in one operator's broadcast state (each connected operator keeps its
     * own copy). An unusable spec changes nothing: the pipeline keeps running on its last good spec.
     */
    public static void apply(SpecChange c, BroadcastState<String, PipelineSpec> state) throws Exception {
        if (c.error() != null) {
            return;
        }
        if (c.removal()) {
            state.remove(c.pipeline());
        } else {
            state.put(c.pipeline(), c.spec());
        }
    }
}
