package io.sair.job;

import io.sair.core.ControllerState;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import io.sair.core.window.StageAccumulator;
import io.sair.flink.ControllerInput;
import io.sair.flink.DeadLetter;
import io.sair.flink.MetricEnvelope;
import io.sair.flink.SpecChange;
import java.util.stream.Stream;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every type the job keeps in state or sends between operators is serialised by Flink's POJO/record
 * serializer, never by Kryo: Kryo state cannot evolve, so a savepoint would not survive an upgrade
 * that adds a field. This fails on the type, naming the field that fell back to Kryo.
 */
class StateTypesTest {

    static Stream<Class<?>> typesInStateOrOnTheWire() {
        return Stream.of(ControllerState.class, StageAccumulator.class, PipelineSpec.class, MetricEnvelope.class,
                StageMetrics.class, StageWindow.class, PipelineContext.class, ScalingDecision.class, SpecChange.class,
                DeadLetter.class, ControllerInput.class);
    }

    @ParameterizedTest
    @MethodSource("typesInStateOrOnTheWire")
    void isSerialisedWithoutKryo(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }
}
