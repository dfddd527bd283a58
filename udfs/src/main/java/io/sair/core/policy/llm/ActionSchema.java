package io.sair.core.policy.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sair.core.model.ActionType;
import io.sair.core.model.Bottleneck;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one definition of the LLM's answer (Appendix I plus {@code bottleneck} and {@code rationale}): one
 * object per stage, keyed by its sanitised name, with absolute targets. Both the JSON schema sent to the
 * provider and the prompt's "Output" section are written from the tables here, so they cannot disagree.
 * The schema is strict: every property is required and a target the action does not use is null.
 */
public final class ActionSchema {

    public static final String ACTION = "action";
    public static final String REPLICAS = "replicas";
    public static final String CPU = "cpu_millicores";
    public static final String MEMORY = "memory_mb";
    public static final String RATE = "rate_ratio";
    public static final String BOTTLENECK = "bottleneck";
    public static final String RATIONALE = "rationale";
    /** Longest rationale kept. */
    public static final int MAX_RATIONALE = 500;

    /** A target a stage's answer may set: its key, its JSON type, how the prompt writes its value, its meaning. */
    private record Target(String key, String jsonType, String promptType, String description) {
    }

    private static final Target REPLICAS_TARGET = new Target(REPLICAS, "integer", "int", "replica count");
    private static final Target CPU_TARGET = new Target(CPU, "integer", "int", "CPU request per replica in millicores");
    private static final Target MEMORY_TARGET = new Target(MEMORY, "integer", "int", "memory request per replica in MB");
    private static final Target RATE_TARGET = new Target(RATE, "number", "fraction in [0,1]",
            "fraction of the GPU in [0,1], not a percentage");
    private static final List<Target> CPU_TARGETS = List.of(REPLICAS_TARGET, CPU_TARGET, MEMORY_TARGET);
    private static final List<Target> GPU_TARGETS = List.of(REPLICAS_TARGET, RATE_TARGET);
    private static final List<ActionType> CPU_ACTIONS = List.of(ActionType.NONE, ActionType.SCALE_REPLICAS,
            ActionType.SCALE_RESOURCES, ActionType.SCALE_BOTH);
    private static final List<ActionType> GPU_ACTIONS = List.of(ActionType.NONE, ActionType.ADJUST_RATE,
            ActionType.SCALE_REPLICAS);
    private static final String BOTTLENECK_TEXT = "the stage class that limits the pipeline now";
    private static final String RATIONALE_TEXT = "one short sentence";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode schema;

    private ActionSchema(ObjectNode schema) {
        this.schema = schema;
    }

    /** The actions a stage of this kind may take. */
    public static List<ActionType> actionsFor(StageKind kind) {
        return kind == StageKind.GPU ? GPU_ACTIONS : CPU_ACTIONS;
    }

    private static List<Target> targetsFor(StageKind kind) {
        return kind == StageKind.GPU ? GPU_TARGETS : CPU_TARGETS;
    }

    /** The JSON key of a stage: its sanitised name, which for a valid spec is the name itself. */
    static String key(StageSpec s) {
        return PromptText.name(s.name());
    }

    /** The stages by key, in the spec's order; of two names that sanitise alike the first keeps the key. */
    static Map<String, StageSpec> stageKeys(PipelineSpec spec) {
        Map<String, StageSpec> byKey = new LinkedHashMap<>();
        spec.stages().forEach(s -> byKey.putIfAbsent(key(s), s));
        return byKey;
    }

    /** Whether the answer carries the optional field: a stage of that name keeps the key instead. */
    private static boolean offers(Map<String, StageSpec> stages, String field) {
        return !stages.containsKey(field);
    }

    /**
     * The strict schema. No numeric or length constraints: not every provider's structured output accepts
     * them (Anthropic's does not), so the descriptions state them and the bounds are checked on the answer.
     */
    public static ActionSchema forSpec(PipelineSpec spec) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "object");
        ObjectNode props = root.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        Map<String, StageSpec> stages = stageKeys(spec);
        stages.forEach((key, s) -> {
            props.set(key, stageSchema(s.kind()));
            required.add(key);
        });
        if (offers(stages, BOTTLENECK)) {
            ObjectNode b = props.putObject(BOTTLENECK).put("type", "string");
            ArrayNode values = b.putArray("enum");
            for (Bottleneck v : Bottleneck.values()) {
                values.add(v.wire());
            }
            b.put("description", BOTTLENECK_TEXT);
            required.add(BOTTLENECK);
        }
        if (offers(stages, RATIONALE)) {
            props.putObject(RATIONALE).put("type", "string")
                    .put("description", RATIONALE_TEXT + " on why, at most " + MAX_RATIONALE + " characters");
            required.add(RATIONALE);
        }
        root.set("required", required);
        root.put("additionalProperties", false);
        return new ActionSchema(root);
    }

    private static ObjectNode stageSchema(StageKind kind) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "object");
        o.put("description", kind.wire() + " stage: absolute targets, not deltas; a target the action does not use is null");
        ObjectNode p = o.putObject("properties");
        ArrayNode values = p.putObject(ACTION).put("type", "string").putArray("enum");
        actionsFor(kind).forEach(t -> values.add(t.wire()));
        ArrayNode required = o.putArray("required").add(ACTION);
        for (Target t : targetsFor(kind)) {
            ObjectNode f = p.putObject(t.key());
            f.putArray("type").add(t.jsonType()).add("null");
            f.put("description", t.description());
            required.add(t.key());
        }
        o.put("additionalProperties", false);
        return o;
    }

    /** The prompt's "Output" section, written from the same tables as the schema. */
    static String outputSection(PipelineSpec spec) {
        Map<String, StageSpec> stages = stageKeys(spec);
        StringBuilder sb = new StringBuilder("## Output\n");
        sb.append("Reply with one JSON object with a key for every stage; the values are absolute targets, "
                + "\"none\" keeps a stage as it is, a target the action does not use is null.\n");
        for (StageKind kind : StageKind.values()) {
            String names = stages.entrySet().stream().filter(e -> e.getValue().kind() == kind).map(Map.Entry::getKey)
                    .collect(Collectors.joining(", "));
            if (names.isEmpty()) {
                continue;
            }
            sb.append("- ").append(kind.wire()).append(" stages (").append(names).append("): {\"").append(ACTION)
                    .append("\": ").append(actionsFor(kind).stream().map(t -> quoted(t.wire()))
                            .collect(Collectors.joining("|")));
            for (Target t : targetsFor(kind)) {
                sb.append(", ").append(quoted(t.key())).append(": ").append(t.promptType()).append("|null");
            }
            sb.append("}\n");
        }
        List<String> extra = new ArrayList<>();
        if (offers(stages, BOTTLENECK)) {
            extra.add(quoted(BOTTLENECK) + ": " + Arrays.stream(Bottleneck.values()).map(b -> quoted(b.wire()))
                    .collect(Collectors.joining("|")));
        }
        if (offers(stages, RATIONALE)) {
            extra.add(quoted(RATIONALE) + ": " + RATIONALE_TEXT + ".");
        }
        return extra.isEmpty() ? sb.toString() : sb.append("Also: ").append(String.join(", ", extra)).append('\n').toString();
    }

    private static String quoted(String s) {
        return '"' + s + '"';
    }

    /** A defensive copy, so a caller cannot change the schema others use. */
    public JsonNode asJsonNode() {
        return schema.deepCopy();
    }

    public String asString() {
        return schema.toString();
    }
}
