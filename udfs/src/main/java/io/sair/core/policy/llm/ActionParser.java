package io.sair.core.policy.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
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

/**
 * Reads an LLM answer in {@link ActionSchema}'s format into a proposal. {@link JsonAnswer} finds the object
 * (in a code fence, or in prose); Jackson binds each stage's entry ({@link StageAnswer}). Stage keys match
 * in any case; a {"action": {...}} or {"stages": {...}} wrapper is opened; an entry without an action word
 * takes the action its targets imply. What cannot be used (an unknown stage or action, a value of the wrong
 * type, a non-finite number, no target) is dropped with an issue; an answer with nothing usable is rejected
 * with the reason. Targets are kept as written (a fraction rounded to an integer), never clamped: the bounds
 * are checked once, by {@link LlmAnswers#read}, which does not use an answer with any target out of bounds.
 * Never throws.
 */
public final class ActionParser {

    /** Longest answer read; an LLM answer of this schema is a few hundred characters. */
    public static final int MAX_CHARS = 64 * 1024;
    private static final int MAX_ISSUES = 32;
    private static final List<String> WRAPPERS = List.of("action", "actions", "stages", "scaling");

    private ActionParser() {
    }

    public static ParseResult parse(String text, PipelineSpec spec) {
        List<String> issues = new ArrayList<>();
        try {
            return read(text, spec, issues);
        } catch (Exception | StackOverflowError e) {
            // Nothing in an answer may stop the controller: whatever slipped through is a rejection.
            return ParseResult.rejected("parser failure: " + e.getClass().getSimpleName(), issues);
        }
    }

    private static ParseResult read(String text, PipelineSpec spec, List<String> issues) {
        if (text == null || text.isBlank()) {
            return ParseResult.rejected("empty answer", issues);
        }
        if (spec == null) {
            return ParseResult.rejected("no pipeline spec to read the answer against", issues);
        }
        if (text.length() > MAX_CHARS) {
            return ParseResult.rejected("answer too long: " + text.length() + " characters (limit " + MAX_CHARS + ")",
                    issues);
        }
        JsonAnswer.Found found = JsonAnswer.find(text);
        if (found.error() != null) {
            return ParseResult.rejected(found.error(), issues);
        }
        Map<String, StageSpec> keys = ActionSchema.stageKeys(spec);
        ObjectNode outer = found.object();
        ObjectNode root = unwrap(outer, keys);
        Map<String, Optional<StageAction>> byStage = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            StageSpec stage = stage(keys, field.getKey());
            if (stage == null) {
                if (!isOptionalField(field.getKey())) {
                    note(issues, "unknown stage '" + PromptText.name(field.getKey()) + "': dropped");
                }
            } else if (byStage.containsKey(stage.name())) {
                note(issues, "stage " + stage.name() + " given twice: the second is ignored");
            } else {
                byStage.put(stage.name(), entry(stage, field.getValue(), issues));
            }
        }
        Bottleneck bottleneck = bottleneck(optionalField(root, outer, ActionSchema.BOTTLENECK, keys), spec, keys, issues);
        String rationale = text(optionalField(root, outer, ActionSchema.RATIONALE, keys), ActionSchema.RATIONALE, issues);
        if (byStage.values().stream().noneMatch(Optional::isPresent)) {
            String why = byStage.isEmpty() ? "no stage of the pipeline named" : "no stage entry could be used";
            return ParseResult.rejected("nothing usable: " + why, issues);
        }
        List<StageAction> actions = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            byStage.getOrDefault(s.name(), Optional.empty()).filter(a -> a.action() != ActionType.NONE)
                    .ifPresent(actions::add);
        }
        return new ParseResult(new ScalingAction(actions), bottleneck,
                PromptText.line(rationale, ActionSchema.MAX_RATIONALE), issues, null);
    }

    /** The stage a key names: exactly, else ignoring case. */
    private static StageSpec stage(Map<String, StageSpec> keys, String written) {
        StageSpec exact = keys.get(written);
        if (exact != null) {
            return exact;
        }
        return keys.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(written)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static boolean isOptionalField(String key) {
        return key.equalsIgnoreCase(ActionSchema.BOTTLENECK) || key.equalsIgnoreCase(ActionSchema.RATIONALE);
    }

    /** A wrapper's content, unless the outer object names a stage itself. */
    private static ObjectNode unwrap(ObjectNode root, Map<String, StageSpec> keys) {
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            if (stage(keys, f.getKey()) != null) {
                return root;
            }
        }
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            if (WRAPPERS.contains(f.getKey().toLowerCase(Locale.ROOT)) && f.getValue() instanceof ObjectNode inner) {
                return inner;
            }
        }
        return root;
    }

    /** A top-level optional field, looked up in the unwrapped object first; a stage of that name shadows it. */
    private static JsonNode optionalField(ObjectNode root, ObjectNode outer, String name, Map<String, StageSpec> keys) {
        for (ObjectNode o : List.of(root, outer)) {
            for (Map.Entry<String, JsonNode> f : o.properties()) {
                if (f.getKey().equalsIgnoreCase(name) && stage(keys, f.getKey()) == null) {
                    return f.getValue();
                }
            }
        }
        return null;
    }

    /** A string field; null when absent, JSON null, or not a string (the latter with an issue). */
    private static String text(JsonNode n, String field, List<String> issues) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            note(issues, field + ": expected a string, got " + type(n) + ": ignored");
            return null;
        }
        return n.textValue();
    }

    /** The bottleneck class; the LLM may name the stage instead of its class. */
    private static Bottleneck bottleneck(JsonNode n, PipelineSpec spec, Map<String, StageSpec> keys, List<String> issues) {
        String word = text(n, ActionSchema.BOTTLENECK, issues);
        if (word == null) {
            return null;
        }
        for (Bottleneck b : Bottleneck.values()) {
            if (b.wire().equalsIgnoreCase(word.strip())) {
                return b;
            }
        }
        StageSpec stage = stage(keys, word.strip());
        if (stage != null) {
            return BottleneckDetector.role(spec, stage.name());
        }
        note(issues, "bottleneck '" + PromptText.name(word) + "' unknown: ignored");
        return null;
    }

    /** One stage's action; empty when the entry cannot be used (with the issue). NONE is a usable answer. */
    private static Optional<StageAction> entry(StageSpec s, JsonNode v, List<String> issues) {
        String name = s.name();
        if (!v.isObject() && !v.isTextual()) {
            note(issues, name + ": expected an object, got " + type(v) + ": no change");
            return Optional.empty();
        }
        StageAnswer a;
        try {
            a = StageAnswer.bind(v, key -> note(issues, name + ": unknown field '" + PromptText.name(key) + "' ignored"));
        } catch (Exception e) {
            note(issues, name + wrongType(e, v) + ": no change");
            return Optional.empty();
        }
        ActionType t;
        if (a.action() == null) {
            t = implied(s.kind(), a);
            if (t == null) {
                note(issues, name + ": no action and no target: no change");
                return Optional.empty();
            }
            note(issues, name + ": no action given, " + t.wire() + " inferred from the fields");
        } else {
            t = a.action().length() > 64 ? null : ActionType.parseOrNull(a.action());
            if (t == null) {
                note(issues, name + ": unknown action '" + PromptText.name(a.action()) + "': no change");
                return Optional.empty();
            }
            if (!ActionSchema.actionsFor(s.kind()).contains(t)) {
                note(issues, name + ": " + t.wire() + " does not apply to a " + s.kind().wire() + " stage: no change");
                return Optional.empty();
            }
        }
        return t == ActionType.NONE ? Optional.of(StageAction.none(name)) : targets(name, t, a, issues);
    }

    private static Optional<StageAction> targets(String name, ActionType t, StageAnswer a, List<String> issues) {
        Integer replicas = integer(t.touchesReplicas(), a.replicas(), name, ActionSchema.REPLICAS, t, issues);
        Integer cpu = integer(t.touchesResources(), a.cpuMillicores(), name, ActionSchema.CPU, t, issues);
        Integer memory = integer(t.touchesResources(), a.memoryMb(), name, ActionSchema.MEMORY, t, issues);
        Double rate = number(t == ActionType.ADJUST_RATE, a.rateRatio(), name, ActionSchema.RATE, t, issues);
        if (replicas == null && cpu == null && memory == null && rate == null) {
            note(issues, name + ": " + t.wire() + " without a usable target: no change");
            return Optional.empty();
        }
        return Optional.of(new StageAction(name, t, replicas, cpu, memory, rate));
    }

    /** A target the action uses, if finite; one it does not use is dropped with an issue. */
    private static Double number(boolean used, Double v, String stage, String field, ActionType t, List<String> issues) {
        if (v == null) {
            return null;
        }
        if (!used) {
            note(issues, stage + ": " + field + " ignored: action is " + t.wire());
            return null;
        }
        if (!Double.isFinite(v)) {
            note(issues, stage + "." + field + ": not a finite number: ignored");
            return null;
        }
        return v;
    }

    /** Rounded to an integer; beyond the int range saturated (and so out of bounds), never wrapped. */
    private static Integer integer(boolean used, Double v, String stage, String field, ActionType t, List<String> issues) {
        Double d = number(used, v, stage, field, t, issues);
        if (d == null) {
            return null;
        }
        if (d != Math.rint(d)) {
            note(issues, stage + "." + field + ": " + PromptText.num(d, 3) + " rounded to an integer");
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(d)));
    }

    /** The action the targets imply when the LLM gave no action word; null when they imply none or two. */
    private static ActionType implied(StageKind kind, StageAnswer a) {
        boolean replicas = a.replicas() != null;
        if (kind == StageKind.GPU) {
            boolean rate = a.rateRatio() != null;
            // One action per GPU stage: with both given, the intent is unclear.
            return rate == replicas ? null : rate ? ActionType.ADJUST_RATE : ActionType.SCALE_REPLICAS;
        }
        return replicas && a.hasResources() ? ActionType.SCALE_BOTH : replicas ? ActionType.SCALE_REPLICAS
                : a.hasResources() ? ActionType.SCALE_RESOURCES : null;
    }

    /** ".replicas: expected a number, got boolean" from Jackson's exception, without its echo of the input. */
    private static String wrongType(Exception e, JsonNode entry) {
        if (!(e instanceof MismatchedInputException m) || m.getPath().isEmpty()) {
            return ": unreadable entry (" + e.getClass().getSimpleName() + ")";
        }
        String field = m.getPath().get(m.getPath().size() - 1).getFieldName();
        JsonNode value = field == null ? null : entry.get(field);
        String got = m instanceof InvalidFormatException || value == null ? "text" : type(value);
        String expected = m.getTargetType() == String.class ? "a string" : "a number";
        return "." + PromptText.name(field) + ": expected " + expected + ", got " + got;
    }

    static String type(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** At most {@value #MAX_ISSUES} issues are listed: an answer can hold many more mistakes than are worth it. */
    private static void note(List<String> issues, String issue) {
        if (issues.size() < MAX_ISSUES) {
            issues.add(issue);
        } else if (issues.size() == MAX_ISSUES) {
            issues.add("more issues not listed");
        }
    }
}
