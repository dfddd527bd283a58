package io.sair.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sair.connectors.actuate.ActuationResult;
import io.sair.connectors.actuate.ActuationStep;
import io.sair.connectors.actuate.Outcome;
import io.sair.connectors.actuate.TestDecisions;
import io.sair.core.model.Json;
import io.sair.core.model.Mode;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ActuationResultSerializerTest {

    private final ActuationResult result = ActuationResult.of(TestDecisions.decision("p", 60_000, Mode.ENFORCE,
            TestDecisions.replicas("pre", StageKind.CPU, 1, 2)), "kubernetes", List.of(new ActuationStep("pre",
            "replicas", "deployments/ml/pre/scale", "replicas=2", "replicas=2", Outcome.APPLIED, 1, null)));

    @Test
    void resultsGoBesideTheDecisionsKeyedByPipelineAndMarked() {
        ProducerRecord<byte[], byte[]> r = new ActuationResultSerializer("sair.actions").serialize(result, null, null);

        assertThat(r.topic()).isEqualTo("sair.actions");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("p");
        assertThat(r.timestamp()).isEqualTo(60_000L);
        assertThat(new String(r.headers().lastHeader("sair.record").value(), StandardCharsets.UTF_8))
                .isEqualTo("actuation");
        assertThat(Json.read(r.value(), ActuationResult.class)).isEqualTo(result);
    }

    @Test
    void aReaderOfDecisionsRejectsAResultInsteadOfMisreadingIt() {
        byte[] value = new ActuationResultSerializer("sair.actions").serialize(result, null, null).value();

        assertThatThrownBy(() -> Json.read(value, ScalingDecision.class)).isInstanceOf(IllegalArgumentException.class);
    }
}
