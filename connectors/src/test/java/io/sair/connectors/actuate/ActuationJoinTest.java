package io.sair.connectors.actuate;

import static io.sair.connectors.actuate.TestDecisions.decision;
import static io.sair.connectors.actuate.TestDecisions.replicas;
import static io.sair.connectors.actuate.TestDecisions.spec;
import static io.sair.connectors.actuate.TestDecisions.stage;
import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.KubeTarget;
import io.sair.core.model.Mode;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageKind;
import io.sair.flink.SpecChange;
import io.sair.flink.Specs;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ActuationJoinTest {

    private final PipelineSpec spec = spec("p", Mode.ENFORCE,
            stage("pre", StageKind.CPU, new KubeTarget("ml", "pre", null, false)));

    private KeyedBroadcastOperatorTestHarness<String, ScalingDecision, SpecChange, ActuationRequest> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new ActuationJoin(),
                ScalingDecision::pipeline, org.apache.flink.api.common.typeinfo.Types.STRING, Specs.DESCRIPTOR);
    }

    @Test
    void aChangingDecisionIsPairedWithItsSpec() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(new SpecChange("p", spec, null, null), 0);
            ScalingDecision d = decision("p", 30_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 1, 2));
            h.processElement(d, 30_000);

            assertThat(h.extractOutputValues()).containsExactly(new ActuationRequest(d, spec));
        }
    }

    @Test
    void decisionsThatChangeNothingAreNotActuated() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(new SpecChange("p", spec, null, null), 0);
            h.processElement(decision("p", 60_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 2, 2)), 60_000);

            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aDecisionThatComesBeforeItsSpecIsActuatedWhenTheSpecComes() throws Exception {
        try (var h = harness()) {
            // The controller had the spec; this step's broadcast channel brings it later.
            ScalingDecision d = decision("p", 30_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 2, 3));
            h.processElement(d, 30_000);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processBroadcastElement(new SpecChange("p", spec, null, null), 0);
            assertThat(h.extractOutputValues()).containsExactly(new ActuationRequest(d, spec));
        }
    }

    @Test
    void aDecisionWhosePipelineIsRemovedBeforeItsSpecCameIsDropped() throws Exception {
        try (var h = harness()) {
            h.processElement(decision("p", 30_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 2, 3)), 30_000);
            h.processBroadcastElement(new SpecChange("p", null, null, null), 0); // tombstone
            h.processBroadcastElement(new SpecChange("p", spec, null, null), 0);

            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
