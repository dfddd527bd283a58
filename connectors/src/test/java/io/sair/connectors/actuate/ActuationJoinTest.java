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
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ActuationJoinTest {

    private final PipelineSpec spec = spec("p", Mode.ENFORCE,
            stage("pre", StageKind.CPU, new KubeTarget("ml", "pre", null, false)));

    private KeyedTwoInputStreamOperatorTestHarness<String, ScalingDecision, SpecChange, ActuationRequest> harness()
            throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(new ActuationJoin(), ScalingDecision::pipeline, null,
                org.apache.flink.api.common.typeinfo.Types.STRING);
        h.open();
        return h;
    }

    private static void specChange(KeyedTwoInputStreamOperatorTestHarness<String, ScalingDecision, SpecChange, ActuationRequest> h,
                             SpecChange change) throws Exception {
        h.processElement2(new StreamRecord<>(change, 0));
    }

    private static void decide(KeyedTwoInputStreamOperatorTestHarness<String, ScalingDecision, SpecChange, ActuationRequest> h,
                               ScalingDecision d, long ts) throws Exception {
        h.processElement1(new StreamRecord<>(d, ts));
    }

    @Test
    void aChangingDecisionIsPairedWithItsSpec() throws Exception {
        try (var h = harness()) {
            specChange(h, new SpecChange("p", spec, null, null));
            ScalingDecision d = decision("p", 30_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 1, 2));
            decide(h, d, 30_000);

            assertThat(h.extractOutputValues()).containsExactly(new ActuationRequest(d, spec));
        }
    }

    @Test
    void decisionsThatChangeNothingAreNotActuated() throws Exception {
        try (var h = harness()) {
            specChange(h, new SpecChange("p", spec, null, null));
            decide(h, decision("p", 60_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 2, 2)), 60_000);

            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aDecisionThatComesBeforeItsSpecIsActuatedWhenTheSpecComes() throws Exception {
        try (var h = harness()) {
            // The controller had the spec; this step's broadcast channel brings it later.
            ScalingDecision d = decision("p", 30_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 2, 3));
            decide(h, d, 30_000);
            assertThat(h.extractOutputValues()).isEmpty();

            specChange(h, new SpecChange("p", spec, null, null));
            assertThat(h.extractOutputValues()).containsExactly(new ActuationRequest(d, spec));
        }
    }

    @Test
    void aDecisionWhosePipelineIsRemovedBeforeItsSpecCameIsDropped() throws Exception {
        try (var h = harness()) {
            decide(h, decision("p", 30_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 2, 3)), 30_000);
            specChange(h, new SpecChange("p", null, null, null)); // tombstone
            specChange(h, new SpecChange("p", spec, null, null));

            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
