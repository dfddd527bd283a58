package io.sair.core.policy.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.policy.baseline.TestPipelines;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionSchemaTest {

    private final ActionSchema schema = ActionSchema.forSpec(TestPipelines.threeStages());

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void eachStageHasItsKindsActionsAndTargets() {
        JsonNode props = schema.asJsonNode().get("properties");
        assertThat(texts(props.at("/pre/properties/action/enum")))
                .containsExactly("none", "scale_replicas", "scale_resources", "scale_both");
        assertThat(texts(props.at("/inf/properties/action/enum"))).containsExactly("none", "adjust_rate", "scale_replicas");
        assertThat(props.at("/pre/properties/cpu_millicores/type").asText()).isEqualTo("integer");
        assertThat(props.at("/pre/properties/memory_mb/type").asText()).isEqualTo("integer");
        assertThat(props.at("/inf/properties/rate_ratio/type").asText()).isEqualTo("number");
        assertThat(props.at("/inf/properties/replicas/type").asText()).isEqualTo("integer");
        assertThat(props.at("/inf/properties/cpu_millicores").isMissingNode()).isTrue();
        assertThat(texts(props.at("/bottleneck/enum")))
                .containsExactly("none", "preprocessing", "inference", "postprocessing", "multiple");
        assertThat(props.at("/rationale/type").asText()).isEqualTo("string");
        assertThat(texts(schema.asJsonNode().get("required"))).containsExactly("pre", "inf", "post");
    }

    @Test
    void theStringAndTheNodeAreTheSameSchemaAndCallersCannotChangeIt() throws Exception {
        assertThat(new ObjectMapper().readTree(schema.asString())).isEqualTo(schema.asJsonNode());
        ((ObjectNode) schema.asJsonNode()).removeAll();
        assertThat(schema.asJsonNode().has("properties")).isTrue();
    }

    @Test
    void stageKeysAreSanitised() {
        JsonNode props = ActionSchema.forSpec(TestPipelines.spec(500, StageSpec.of("a b\"}", StageKind.CPU)))
                .asJsonNode().get("properties");
        assertThat(props.has("a_b__")).isTrue();
    }
}
