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
        assertThat(props.at("/pre/properties/cpu_millicores/type/0").asText()).isEqualTo("integer");
        assertThat(props.at("/pre/properties/memory_mb/type/0").asText()).isEqualTo("integer");
        assertThat(props.at("/inf/properties/rate_ratio/type/0").asText()).isEqualTo("number");
        assertThat(props.at("/inf/properties/replicas/type/0").asText()).isEqualTo("integer");
        assertThat(props.at("/inf/properties/cpu_millicores").isMissingNode()).isTrue();
        assertThat(texts(props.at("/bottleneck/enum")))
                .containsExactly("none", "preprocessing", "inference", "postprocessing", "multiple");
        assertThat(props.at("/rationale/type").asText()).isEqualTo("string");
        assertThat(texts(schema.asJsonNode().get("required")))
                .containsExactly("pre", "inf", "post", "bottleneck", "rationale");
    }

    @Test
    void theSchemaIsStrictEveryPropertyRequiredAndTheTargetsNullable() {
        JsonNode root = schema.asJsonNode();
        assertStrict(root);
        JsonNode props = root.get("properties");
        for (String stage : List.of("pre", "inf", "post")) {
            props.get(stage).get("properties").properties().forEach(e -> {
                if (!e.getKey().equals("action")) {
                    assertThat(texts(e.getValue().get("type"))).as(stage + "." + e.getKey()).contains("null").hasSize(2);
                }
            });
        }
        assertThat(props.at("/pre/properties/replicas/type").toString()).isEqualTo("[\"integer\",\"null\"]");
        assertThat(props.at("/inf/properties/rate_ratio/type").toString()).isEqualTo("[\"number\",\"null\"]");
        // Providers' strict modes refuse numeric and length constraints (Anthropic's does): the text states them.
        assertThat(root.toString()).doesNotContain("minimum", "maximum", "maxLength");
    }

    /** Strict structured output: every object closed, and every one of its properties required. */
    private static void assertStrict(JsonNode node) {
        if (node.has("properties")) {
            List<String> names = new ArrayList<>();
            node.get("properties").fieldNames().forEachRemaining(names::add);
            assertThat(texts(node.get("required"))).as("required of %s", node).containsExactlyElementsOf(names);
            assertThat(node.get("additionalProperties").asBoolean(true)).isFalse();
            node.get("properties").forEach(ActionSchemaTest::assertStrict);
        }
    }

    @Test
    void thePromptsOutputSectionWritesExactlyTheSchema() {
        String output = ActionSchema.outputSection(TestPipelines.threeStages());
        JsonNode props = schema.asJsonNode().get("properties");
        for (String stage : List.of("pre", "inf", "post")) {
            JsonNode p = props.get(stage).get("properties");
            String kind = stage.equals("inf") ? "gpu" : "cpu";
            String line = output.lines().filter(l -> l.startsWith("- " + kind + " stages")).findFirst().orElseThrow();
            assertThat(line).contains(stage);
            String actions = String.join("|", texts(p.at("/action/enum")).stream().map(a -> "\"" + a + "\"").toList());
            assertThat(line).contains("{\"action\": " + actions + ",");
            List<String> targets = new ArrayList<>();
            p.fieldNames().forEachRemaining(f -> targets.add(f));
            targets.remove("action");
            for (String t : targets) {
                assertThat(line).containsPattern("\"" + t + "\": [^\"]+\\|null[,}]");
            }
            assertThat(line.split("\": ", -1)).hasSize(targets.size() + 2);
        }
        assertThat(output).contains("\"bottleneck\": " + String.join("|",
                texts(props.at("/bottleneck/enum")).stream().map(b -> "\"" + b + "\"").toList()));
        assertThat(output).contains("\"rationale\": one short sentence.");
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
