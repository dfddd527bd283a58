package io.sair.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The model's enums on the wire: written by their lower-case names exactly as before (decisions on Kafka,
 * specs, the operator's status), read in any case, and an unknown word read as each enum always read it.
 */
class WireEnumsTest {

    static final List<Class<? extends Enum<?>>> ENUMS = List.of(ActionType.class, Bottleneck.class, Mode.class,
            Selector.class, SelectorSetting.class, StageKind.class, io.sair.core.validate.Dimension.class);

    @Test
    void everyValueIsWrittenByItsLowerCaseName() {
        for (Class<? extends Enum<?>> type : ENUMS) {
            for (Enum<?> v : type.getEnumConstants()) {
                assertThat(Json.writeString(v)).isEqualTo("\"" + v.name().toLowerCase(Locale.ROOT) + "\"");
            }
        }
        assertThat(Json.writeString(ActionType.SCALE_REPLICAS)).isEqualTo("\"scale_replicas\"");
    }

    @Test
    void aDecisionIsWrittenByteForByteAsBefore() {
        ScalingDecision d = new ScalingDecision(1, "p@30000", "p", 30_000, Mode.SHADOW, Selector.SURGE,
                List.of(new StageTarget("infer", StageKind.GPU, 2, 1000, 1024, 0.5, 1, 0, 0, -0.5)), List.of(),
                Bottleneck.INFERENCE, "why", null, null, 120.0, 200.0, 1.5, 0.1, 3);

        assertThat(new String(Json.write(d), StandardCharsets.UTF_8)).isEqualTo(GOLDEN_DECISION);
        assertThat(Json.read(GOLDEN_DECISION.getBytes(StandardCharsets.UTF_8), ScalingDecision.class)).isEqualTo(d);
        assertThat(Json.writeString(StageAction.replicas("a", 3)))
                .isEqualTo("{\"stage\":\"a\",\"action\":\"scale_replicas\",\"replicas\":3}");
    }

    /** Written by the code before the enums moved onto Json.MAPPER (the wire()/@JsonCreator copies). */
    static final String GOLDEN_DECISION = "{\"v\":1,\"decisionId\":\"p@30000\",\"pipeline\":\"p\",\"windowEnd\":30000,\"mode\":\"shadow\",\"selector\":\"surge\",\"stages\":[{\"stage\":\"infer\""
            + ",\"kind\":\"gpu\",\"replicas\":2,\"cpuMillis\":1000,\"memoryMb\":1024,\"rate\":0.5,\"dReplicas\":1,\"dCpuMillis\":0,\"dMemoryMb\":0,\"dRate\":-0.5}],\"adjustments\":[],\"bottleneck\":\"inference\",\"rationale\":\"why\",\"p99Ms\":120.0,\"slaMs\":200.0,\"costPerHour\":1.5,\"epsilon\":0.1,\"experiences\":3}";

    @Test
    void valuesAreReadInAnyCase() {
        assertThat(read("\"GPU\"", StageKind.class)).isEqualTo(StageKind.GPU);
        assertThat(read("\"Gpu\"", StageKind.class)).isEqualTo(StageKind.GPU);
        assertThat(read("\"SHADOW\"", Mode.class)).isEqualTo(Mode.SHADOW);
        assertThat(read("\"Llm\"", Selector.class)).isEqualTo(Selector.LLM);
        assertThat(read("\"Inference\"", Bottleneck.class)).isEqualTo(Bottleneck.INFERENCE);
        assertThat(read("\"SCALE_BOTH\"", ActionType.class)).isEqualTo(ActionType.SCALE_BOTH);
        ScalingDecision d = Json.read(GOLDEN_DECISION.replace("\"shadow\"", "\"SHADOW\"").replace("\"surge\"", "\"Surge\"")
                .replace("\"gpu\"", "\"GPU\"").replace("\"inference\"", "\"INFERENCE\"").getBytes(StandardCharsets.UTF_8),
                ScalingDecision.class);
        assertThat(d.mode()).isEqualTo(Mode.SHADOW);
        assertThat(d.selector()).isEqualTo(Selector.SURGE);
        assertThat(d.bottleneck()).isEqualTo(Bottleneck.INFERENCE);
        assertThat(d.stages().get(0).kind()).isEqualTo(StageKind.GPU);
    }

    @Test
    void anUnknownWordReadsAsEachEnumAlwaysReadIt() {
        // Tolerant readers: a value a newer version knows.
        assertThat(read("\"cache\"", Bottleneck.class)).isEqualTo(Bottleneck.NONE);
        assertThat(read("\"oracle\"", Selector.class)).isNull();
        assertThat(read("\"explode\"", ActionType.class)).isNull();
        // Strict ones: a spec with a typo is refused with a reason that names the value and the choices.
        assertThatThrownBy(() -> Json.read(("{\"name\":\"a\",\"slaP99Ms\":100,\"stages\":[{\"name\":\"s\",\"kind\":\"tpu\"}]}")
                .getBytes(StandardCharsets.UTF_8), PipelineSpec.class))
                .hasMessageContaining("unknown stage kind 'tpu' (cpu|gpu)");
        assertThatThrownBy(() -> Json.read(("{\"name\":\"a\",\"slaP99Ms\":100,\"mode\":\"dry-run\",\"stages\":[{\"name\":"
                + "\"s\",\"kind\":\"cpu\"}]}").getBytes(StandardCharsets.UTF_8), PipelineSpec.class))
                .hasMessageContaining("unknown mode 'dry-run' (enforce|shadow)");
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void noEnumOfTheModelSpellsOutItsOwnWireFormat() {
        for (Class<? extends Enum<?>> type : ENUMS) {
            assertThat(WireName.class.isAssignableFrom(type)).as(type.getSimpleName()).isTrue();
            assertThatThrownBy(() -> type.getDeclaredMethod("wire")).as(type.getSimpleName())
                    .isInstanceOf(NoSuchMethodException.class);
        }
    }

    @Test
    void wordsFromOutsideJsonAreReadLeniently() {
        assertThat(WireName.parse(ActionType.class, " Scale-Replicas ")).isEqualTo(ActionType.SCALE_REPLICAS);
        assertThat(WireName.parse(ActionType.class, "scale both")).isEqualTo(ActionType.SCALE_BOTH);
        assertThat(ActionType.parseOrNull("ADJUST_RATE")).isEqualTo(ActionType.ADJUST_RATE);
        assertThat(WireName.parse(Mode.class, "dry-run")).isNull();
        assertThat(WireName.parse(Mode.class, null)).isNull();
        assertThat(PolicySettings.defaults().selectorSetting()).isEqualTo(SelectorSetting.AUTO);
        assertThat(settings(" ").selector()).isEqualTo("auto");
        assertThat(settings("LLM").selector()).isEqualTo("llm");
        assertThat(settings("LLM").selectorSetting()).isEqualTo(SelectorSetting.LLM);
        assertThat(settings("Oracle").selector()).isEqualTo("oracle");
        assertThat(settings("Oracle").selectorSetting()).isNull();
    }

    private static PolicySettings settings(String selector) {
        return new PolicySettings(selector, null, null, null, null, null, null, null, null, null, null);
    }
}
