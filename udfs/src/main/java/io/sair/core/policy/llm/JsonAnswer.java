package io.sair.core.policy.llm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the one JSON object in an LLM answer: inside a code fence if there is one, else the whole text,
 * else the first brace-balanced span of the text that parses as an object (prose around it is ignored). Nesting,
 * number and string sizes are bounded by Jackson's read constraints, so no input can exhaust the stack. Its
 * mapper, which also binds the entries ({@link StageAnswer}), is the answers' own: lenient JSON, keys in any case.
 */
final class JsonAnswer {

    static final int MAX_DEPTH = 16;
    /** Candidate objects tried before giving up, so prose full of braces costs bounded time. */
    private static final int MAX_CANDIDATES = 32;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
            // A key given twice is ambiguous; one could hide behind the other.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(100)
                    .maxStringLength(ActionParser.MAX_CHARS).build())
            .build();
    static final JsonMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .build();
    private static final ObjectReader WHOLE = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectReader PREFIX = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonAnswer() {
    }

    /** The object, or the reason there is none. */
    record Found(ObjectNode object, String error) {
    }

    static Found find(String text) {
        String body = unfence(text).strip();
        String firstError;
        try {
            JsonNode whole = WHOLE.readTree(body);
            if (whole instanceof ObjectNode o) {
                return new Found(o, null);
            }
            if (whole != null && !whole.isMissingNode()) {
                return new Found(null, "the answer's JSON is not an object but " + ActionParser.type(whole));
            }
            firstError = "no JSON in the answer";
        } catch (Exception e) {
            firstError = "invalid JSON: " + brief(e);
        }
        List<Integer> starts = topLevelObjectStarts(body);
        for (int start : starts) {
            ObjectNode o = objectAt(body, start);
            if (o != null) {
                return new Found(o, null);
            }
        }
        return new Found(null, starts.isEmpty() ? "no JSON object in the answer" : firstError);
    }

    /**
     * Where each brace-balanced span of the text begins, braces inside JSON strings not counted. Only these
     * are candidates: an object nested in a broken one is a fragment (a stage entry, say), not the answer.
     */
    static List<Integer> topLevelObjectStarts(String body) {
        List<Integer> starts = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < body.length() && starts.size() < MAX_CANDIDATES; i++) {
            char c = body.charAt(i);
            if (depth == 0) {
                if (c == '{') {
                    starts.add(i);
                    depth = 1;
                }
            } else if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
        }
        return starts;
    }

    private static ObjectNode objectAt(String body, int start) {
        try (JsonParser p = FACTORY.createParser(body.toCharArray(), start, body.length() - start)) {
            JsonNode n = PREFIX.readTree(p);
            return n instanceof ObjectNode o ? o : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The content of the first ``` fence that holds a '{' (an unclosed fence runs to the end); else the text. */
    static String unfence(String text) {
        int from = 0;
        while (true) {
            int open = text.indexOf("```", from);
            if (open < 0) {
                return text;
            }
            int close = text.indexOf("```", open + 3);
            String inner = withoutLanguageTag(text.substring(open + 3, close < 0 ? text.length() : close));
            if (inner.indexOf('{') >= 0 || close < 0) {
                return inner;
            }
            from = close + 3;
        }
    }

    /** "json\n{...}" -> "{...}": a fence's first line names the language. */
    private static String withoutLanguageTag(String fenced) {
        int nl = fenced.indexOf('\n');
        if (nl < 0) {
            return fenced;
        }
        String first = fenced.substring(0, nl).strip();
        return first.matches("[A-Za-z0-9_+-]*") ? fenced.substring(nl + 1) : fenced;
    }

    /** The first line of a parser message, without the echoed source. */
    private static String brief(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return PromptText.line(nl < 0 ? m : m.substring(0, nl), 200);
    }
}
