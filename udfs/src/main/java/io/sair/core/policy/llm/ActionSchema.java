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
import java.util.List;
import java.util.Map;

/**
 * The JSON schema of the LLM's answer (Appendix I plus optional {@code bottleneck} and {@code rationale}):
 * one object per stage, keyed by its sanitised name, with absolute targets. Exposed as a JsonNode (for
 * structured-output APIs such as langchain4j's) and as a string (for the prompt).
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<ActionType> CPU_ACTIONS = List.of(ActionType.NONE, ActionType.SCALE_REPLICAS,
            ActionType.SCALE_RESOURCES, ActionType.SCALE_BOTH);
    private static final List<ActionType> GPU_ACTIONS = List.of(ActionType.NONE, ActionType.ADJUST_RATE,
            ActionType.SCALE_REPLICAS);

    private final ObjectNode schema;

    private ActionSchema(ObjectNode schema) {
        this.schema = schema;
    }

    /** The actions a stage of this kind may take. */
    public static List<ActionType> actionsFor(StageKind kind) {
        return kind == StageKind.GPU ? GPU_ACTIONS : CPU_ACTIONS;
    }

    public static ActionSchema forSpec(PipelineSpec spec) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "object");
        ObjectNode props = root.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (Map.Entry<String, StageSpec> e : StageKeys.of(spec).all().entrySet()) {
            props.set(e.getKey(), stageSchema(e.getValue().kind()));
            required.add(e.getKey());
        }
        // A stage called "bottleneck" or "rationale" keeps its key; the optional field is then not offered.
        if (!props.has(BOTTLENECK)) {
            ObjectNode b = props.putObject(BOTTLENECK);
            b.put("type", "string");
            ArrayNode values = b.putArray("enum");
            for (Bottleneck v : Bottleneck.values()) {
                values.add(v.wire());
            }
            b.put("description", "the stage class that limits the pipeline now");
        }
        if (!props.has(RATIONALE)) {
            ObjectNode r = props.putObject(RATIONALE);
            r.put("type", "string");
            r.put("maxLength", MAX_RATIONALE);
            r.put("description", "one short sentence on why");
        }
        root.set("required", required);
        root.put("additionalProperties", false);
        return new ActionSchema(root);
    }

    private static ObjectNode stageSchema(StageKind kind) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "object");
        o.put("description", kind.wire() + " stage: absolute targets, not deltas; fields the action does not use are ignored");
        ObjectNode p = o.putObject("properties");
        ObjectNode action = p.putObject(ACTION);
        action.put("type", "string");
        ArrayNode values = action.putArray("enum");
        for (ActionType t : actionsFor(kind)) {
            values.add(t.wire());
        }
        p.putObject(REPLICAS).put("type", "integer");
        if (kind == StageKind.GPU) {
            p.putObject(RATE).put("type", "number").put("minimum", 0).put("maximum", 1)
                    .put("description", "fraction of the GPU in [0,1], not a percentage");
        } else {
            p.putObject(CPU).put("type", "integer").put("description", "CPU request per replica in millicores");
            p.putObject(MEMORY).put("type", "integer").put("description", "memory request per replica in MB");
        }
        o.putArray("required").add(ACTION);
        o.put("additionalProperties", false);
        return o;
    }

    /** A defensive copy, so a caller cannot change the schema others use. */
    public JsonNode asJsonNode() {
        return schema.deepCopy();
    }

    public String asString() {
        return schema.toString();
    }
}
