package io.sair.core.policy.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sair.core.bottleneck.BottleneckDetector;
import io.sair.core.model.ActionType;
import io.sair.core.model.Bottleneck;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an LLM answer into a proposal, tolerantly: code fences, prose around the object, snake_case or
 * camelCase keys, numbers as strings, floats for integers, a {"action": {...}} or {"stages": {...}}
 * wrapper. What it cannot use it drops with an issue (an unknown stage or action word, a wrong type, a
 * non-finite number, a rate given as a percentage); out-of-range values stay as proposed for the
 * validator to clamp and report. Rejects an answer with nothing usable, with the reason. Never throws.
 */
public final class ActionParser {

    /** Longest answer read; an LLM answer of this schema is a few hundred characters. */
    public static final int MAX_CHARS = 64 * 1024;
    private static final int MAX_ISSUES = 32;
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> WRAPPERS = Set.of("action", "actions", "stages", "scaling", "scalingaction");
    private static final String BOTTLENECK = StageKeys.loose(ActionSchema.BOTTLENECK);
    private static final String RATIONALE = StageKeys.loose(ActionSchema.RATIONALE);

    private ActionParser() {
    }

    public static ParseResult parse(String text, PipelineSpec spec) {
        Issues issues = new Issues();
        try {
            return read(text, spec, issues);
        } catch (Exception | StackOverflowError e) {
            // Nothing in an answer may stop the controller: whatever slipped through is a rejection.
            return ParseResult.rejected("parser failure: " + e.getClass().getSimpleName(), issues.list);
        }
    }

    private static ParseResult read(String text, PipelineSpec spec, Issues issues) {
        if (text == null || text.isBlank()) {
            return ParseResult.rejected("empty answer", issues.list);
        }
        if (spec == null) {
            return ParseResult.rejected("no pipeline spec to read the answer against", issues.list);
        }
        if (text.length() > MAX_CHARS) {
            return ParseResult.rejected("answer too long: " + text.length() + " characters (limit " + MAX_CHARS + ")",
                    issues.list);
        }
        JsonAnswer.Found found = JsonAnswer.find(text);
        if (found.error() != null) {
            return ParseResult.rejected(found.error(), issues.list);
        }
        StageKeys keys = StageKeys.of(spec);
        ObjectNode outer = found.object();
        ObjectNode root = unwrap(outer, keys);
        Map<String, Optional<StageAction>> byStage = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            Optional<StageSpec> stage = keys.find(field.getKey());
            String loose = StageKeys.loose(field.getKey());
            if (stage.isEmpty()) {
                if (!loose.equals(BOTTLENECK) && !loose.equals(RATIONALE)) {
                    issues.add("unknown stage '" + PromptText.name(field.getKey()) + "': dropped");
                }
            } else if (byStage.containsKey(stage.get().name())) {
                issues.add("stage " + stage.get().name() + " given twice: the second is ignored");
            } else {
                byStage.put(stage.get().name(), StageReader.read(stage.get(), field.getValue(), issues));
            }
        }
        Bottleneck bottleneck = bottleneck(fieldOf(root, outer, BOTTLENECK, keys), spec, issues);
        String rationale = rationale(fieldOf(root, outer, RATIONALE, keys), issues);
        List<StageAction> actions = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            Optional<StageAction> a = byStage.getOrDefault(s.name(), Optional.empty());
            a.filter(x -> x.action() != ActionType.NONE).ifPresent(actions::add);
        }
        boolean understood = byStage.values().stream().anyMatch(Optional::isPresent);
        if (!understood) {
            String why = byStage.isEmpty() ? "no stage of the pipeline named" : "no stage entry could be used";
            return ParseResult.rejected("nothing usable: " + why, issues.list);
        }
        return new ParseResult(new ScalingAction(actions), bottleneck, rationale, issues.list, null);
    }

    /** {"action": {...}} or {"stages": {...}} around the stages, unless the outer object names a stage itself. */
    private static ObjectNode unwrap(ObjectNode root, StageKeys keys) {
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            if (keys.find(f.getKey()).isPresent()) {
                return root;
            }
        }
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            if (WRAPPERS.contains(StageKeys.loose(f.getKey())) && f.getValue() instanceof ObjectNode inner) {
                return inner;
            }
        }
        return root;
    }

    /** A top-level optional field, looked up in the unwrapped object first; a stage of that name shadows it. */
    private static JsonNode fieldOf(ObjectNode root, ObjectNode outer, String loose, StageKeys keys) {
        for (ObjectNode o : List.of(root, outer)) {
            for (Map.Entry<String, JsonNode> f : o.properties()) {
                if (StageKeys.loose(f.getKey()).equals(loose) && keys.find(f.getKey()).isEmpty()) {
                    return f.getValue();
                }
            }
        }
        return null;
    }

    private static Bottleneck bottleneck(JsonNode n, PipelineSpec spec, Issues issues) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            issues.add("bottleneck: expected a string, got " + type(n) + ": ignored");
            return null;
        }
        String word = n.textValue().strip();
        for (Bottleneck b : Bottleneck.values()) {
            if (b.wire().equalsIgnoreCase(word)) {
                return b;
            }
        }
        // The LLM may name the stage instead of its class.
        Optional<StageSpec> stage = StageKeys.of(spec).find(word);
        if (stage.isPresent()) {
            return BottleneckDetector.role(spec, stage.get().name());
        }
        issues.add("bottleneck '" + PromptText.name(word) + "' unknown: ignored");
        return null;
    }

    private static String rationale(JsonNode n, Issues issues) {
        if (n == null || n.isNull()) {
            return "";
        }
        if (!n.isTextual()) {
            issues.add("rationale: expected a string, got " + type(n) + ": ignored");
            return "";
        }
        return PromptText.line(n.textValue(), ActionSchema.MAX_RATIONALE);
    }

    static String type(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /**
     * A number from a JSON number or a numeric string; null when absent (JSON null counts as absent) or
     * unusable, the latter with an issue.
     */
    static Double number(JsonNode n, String where, Issues issues) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        double d;
        if (n.isNumber()) {
            d = n.doubleValue();
        } else if (n.isTextual() && n.textValue().length() <= 100 && NUMBER.matcher(n.textValue().strip()).matches()) {
            d = Double.parseDouble(n.textValue().strip());
        } else {
            issues.add(where + ": expected a number, got " + (n.isTextual() ? "text" : type(n)) + ": ignored");
            return null;
        }
        if (!Double.isFinite(d)) {
            issues.add(where + ": not a finite number: ignored");
            return null;
        }
        return d;
    }

    /** Rounds to an integer; a value beyond the int range is saturated (the validator clamps it to the bounds). */
    static Integer integer(JsonNode n, String where, Issues issues) {
        Double d = number(n, where, issues);
        if (d == null) {
            return null;
        }
        if (d != Math.rint(d)) {
            issues.add(where + ": " + PromptText.num(d, 3) + " rounded to an integer");
        }
        if (d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
            issues.add(where + ": " + PromptText.num(d, 0) + " beyond the integer range");
            return d > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        }
        return (int) Math.round(d);
    }

    /** A rate ratio; above 1 it is most likely a percentage, which is refused rather than guessed. */
    static Double rate(JsonNode n, String where, Issues issues) {
        Double d = number(n, where, issues);
        if (d != null && d > 1.0) {
            issues.add(where + ": " + PromptText.num(d, 3) + " > 1 looks like a percentage; a fraction in [0,1] is "
                    + "expected: ignored");
            return null;
        }
        return d;
    }

    /** Issues in order, at most {@value #MAX_ISSUES} (an answer can hold many more mistakes than are worth listing). */
    static final class Issues {
        final List<String> list = new ArrayList<>();

        void add(String issue) {
            if (list.size() < MAX_ISSUES) {
                list.add(issue);
            } else if (list.size() == MAX_ISSUES) {
                list.add("more issues not listed");
            }
        }
    }

    /** The reading of one stage's entry. */
    static final class StageReader {

        private StageReader() {
        }

        /** The stage's action; empty when the entry cannot be used (with the issue). NONE is a usable answer. */
        static Optional<StageAction> read(StageSpec s, JsonNode v, Issues issues) {
            String name = s.name();
            if (v.isTextual()) {
                return typed(s, v.textValue(), Map.of(), issues);
            }
            if (!(v instanceof ObjectNode o)) {
                issues.add(name + ": expected an object, got " + type(v) + ": no change");
                return Optional.empty();
            }
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            JsonNode action = null;
            for (Map.Entry<String, JsonNode> f : o.properties()) {
                String field = canonical(f.getKey());
                if (field == null) {
                    issues.add(name + ": unknown field '" + PromptText.name(f.getKey()) + "' ignored");
                } else if (field.equals(ActionSchema.ACTION)) {
                    action = f.getValue();
                } else if (fields.putIfAbsent(field, f.getValue()) != null) {
                    issues.add(name + ": " + field + " given twice: the first is used");
                }
            }
            if (action == null || action.isNull()) {
                Optional<ActionType> inferred = infer(s.kind(), fields);
                if (inferred.isEmpty()) {
                    issues.add(name + ": no action and no target: no change");
                    return Optional.empty();
                }
                issues.add(name + ": no action given, " + inferred.get().wire() + " inferred from the fields");
                return build(s, inferred.get(), fields, issues);
            }
            if (!action.isTextual()) {
                issues.add(name + ": action must be a string, got " + type(action) + ": no change");
                return Optional.empty();
            }
            return typed(s, action.textValue(), fields, issues);
        }

        private static Optional<StageAction> typed(StageSpec s, String word, Map<String, JsonNode> fields,
                                                   Issues issues) {
            ActionType t = word.length() > 64 ? null : ActionType.parseOrNull(word);
            if (t == null) {
                issues.add(s.name() + ": unknown action '" + PromptText.name(word) + "': no change");
                return Optional.empty();
            }
            if (!ActionSchema.actionsFor(s.kind()).contains(t)) {
                issues.add(s.name() + ": " + t.wire() + " does not apply to a " + s.kind().wire() + " stage: no change");
                return Optional.empty();
            }
            return build(s, t, fields, issues);
        }

        private static Optional<StageAction> build(StageSpec s, ActionType t, Map<String, JsonNode> fields,
                                                   Issues issues) {
            String name = s.name();
            if (t == ActionType.NONE) {
                return Optional.of(StageAction.none(name));
            }
            Integer replicas = t.touchesReplicas() ? integer(fields.get(ActionSchema.REPLICAS), name + ".replicas", issues)
                    : null;
            Integer cpu = t.touchesResources() ? integer(fields.get(ActionSchema.CPU), name + ".cpu_millicores", issues)
                    : null;
            Integer memory = t.touchesResources() ? integer(fields.get(ActionSchema.MEMORY), name + ".memory_mb", issues)
                    : null;
            Double rate = t == ActionType.ADJUST_RATE ? ActionParser.rate(fields.get(ActionSchema.RATE),
                    name + ".rate_ratio", issues) : null;
            for (Map.Entry<String, JsonNode> f : fields.entrySet()) {
                if (!used(t, s.kind(), f.getKey()) && !f.getValue().isNull()) {
                    issues.add(name + ": " + f.getKey() + " ignored: action is " + t.wire());
                }
            }
            if (replicas == null && cpu == null && memory == null && rate == null) {
                issues.add(name + ": " + t.wire() + " without a usable target: no change");
                return Optional.empty();
            }
            return Optional.of(new StageAction(name, t, replicas, cpu, memory, rate));
        }

        private static boolean used(ActionType t, StageKind kind, String field) {
            return switch (field) {
                case ActionSchema.REPLICAS -> t.touchesReplicas();
                case ActionSchema.CPU, ActionSchema.MEMORY -> t.touchesResources() && kind == StageKind.CPU;
                case ActionSchema.RATE -> t == ActionType.ADJUST_RATE;
                default -> false;
            };
        }

        /** The action the fields imply, when the LLM gave targets but no action word. */
        private static Optional<ActionType> infer(StageKind kind, Map<String, JsonNode> fields) {
            boolean replicas = given(fields, ActionSchema.REPLICAS);
            if (kind == StageKind.GPU) {
                boolean rate = given(fields, ActionSchema.RATE);
                // One action per GPU stage: with both given, the intent is unclear.
                return rate == replicas ? Optional.empty()
                        : Optional.of(rate ? ActionType.ADJUST_RATE : ActionType.SCALE_REPLICAS);
            }
            boolean resources = given(fields, ActionSchema.CPU) || given(fields, ActionSchema.MEMORY);
            if (replicas && resources) {
                return Optional.of(ActionType.SCALE_BOTH);
            }
            return replicas ? Optional.of(ActionType.SCALE_REPLICAS)
                    : resources ? Optional.of(ActionType.SCALE_RESOURCES) : Optional.empty();
        }

        private static boolean given(Map<String, JsonNode> fields, String field) {
            JsonNode n = fields.get(field);
            return n != null && !n.isNull();
        }

        /** The schema name of a field however the LLM spelled it; null for an unknown field. */
        static String canonical(String key) {
            return switch (StageKeys.loose(key)) {
                case "action", "type" -> ActionSchema.ACTION;
                case "replicas", "replica", "replicacount" -> ActionSchema.REPLICAS;
                case "cpumillicores", "cpumillis", "cpu", "cpum" -> ActionSchema.CPU;
                case "memorymb", "memory", "memorymib", "memmb", "mem" -> ActionSchema.MEMORY;
                case "rateratio", "rate", "gpurate", "gpuratio" -> ActionSchema.RATE;
                default -> null;
            };
        }
    }
}
