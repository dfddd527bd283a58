package io.sair.flink;

import io.sair.core.model.PipelineSpec;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/**
 * The dead-letter side output, shared by the operators, and the broadcast state in which state layouts v1-v5 kept
 * every pipeline's spec: read only to carry a restored copy into keyed state ({@link KeyedSpecs}) and by the state
 * reader for older savepoints.
 */
public final class Specs {

    public static final MapStateDescriptor<String, PipelineSpec> DESCRIPTOR =
            new MapStateDescriptor<>("pipeline-specs", Types.STRING, TypeInformation.of(PipelineSpec.class));

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters",
            TypeInformation.of(DeadLetter.class));

    private Specs() {
    }
}
