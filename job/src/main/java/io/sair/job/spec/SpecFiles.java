package io.sair.job.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sair.core.model.Json;
import io.sair.core.model.PipelineSpec;
import io.sair.flink.Parsing;
import io.sair.flink.RawRecord;
import io.sair.flink.SpecChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a pipeline spec file (YAML, or JSON for a {@code .json} file) and checks it exactly as the job
 * checks a record of {@code sair.pipelines} ({@link Parsing#spec}): the CLI and the job accept and
 * reject the same specs. Every problem is one line that names the file and, where it can, the field.
 */
public final class SpecFiles {

    /** A usable spec and the JSON value to publish for it (what the file says; defaults stay implicit). */
    public record LoadedSpec(PipelineSpec spec, byte[] json) {
    }

    private static final ObjectReader YAML = new YAMLMapper().readerFor(JsonNode.class)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectReader JSON = Json.MAPPER.readerFor(JsonNode.class)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private SpecFiles() {
    }

    /** Loads and checks {@code file}; throws IllegalArgumentException with one line naming what is wrong. */
    public static LoadedSpec load(Path file, int maxRecordBytes) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(file + ": not a readable file");
        }
        try {
            // A spec is a few KB; far beyond the record bound (even with comments) is the wrong file.
            long size = Files.size(file);
            if (size > 16L * maxRecordBytes) {
                throw new IllegalArgumentException(file + ": " + size + " bytes, too large for a spec");
            }
            return parse(file.toString(), Files.readAllBytes(file), maxRecordBytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Checks the content of a spec file called {@code name}. */
    public static LoadedSpec parse(String name, byte[] content, int maxRecordBytes) {
        byte[] json = Json.write(tree(name, content));
        SpecChange checked = Parsing.spec(new RawRecord("file", 0, 0, 0, null, json), maxRecordBytes);
        if (checked.error() != null) {
            throw new IllegalArgumentException(name + ": " + explain(json, checked.error()));
        }
        return new LoadedSpec(checked.spec(), json);
    }

    private static JsonNode tree(String name, byte[] content) {
        boolean json = name.toLowerCase(Locale.ROOT).endsWith(".json");
        ObjectReader reader = json ? JSON : YAML;
        List<JsonNode> documents = new ArrayList<>();
        // Value by value, not readValues(): that would unwrap a top-level list into "documents".
        try (JsonParser p = reader.createParser(content)) {
            for (JsonNode doc = reader.readTree(p); doc != null; doc = reader.readTree(p)) {
                documents.add(doc);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(name + ": not valid " + (json ? "JSON" : "YAML") + ": " + syntax(e), e);
        }
        documents = documents.stream().filter(d -> d != null && !d.isMissingNode() && !d.isNull()).toList();
        if (documents.isEmpty()) {
            throw new IllegalArgumentException(name + ": empty, no spec in it");
        }
        if (documents.size() > 1) {
            throw new IllegalArgumentException(name + ": " + documents.size() + " documents; one spec per file");
        }
        if (!documents.get(0).isObject()) {
            throw new IllegalArgumentException(name + ": a spec is a mapping of fields (name, stages, slaP99Ms, ...), "
                    + "not a " + documents.get(0).getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return documents.get(0);
    }

    /**
     * The job's reason, with the field's path when the JSON did not map onto the spec (the job's
     * reason then carries Jackson's message without the path).
     */
    static String explain(byte[] json, String jobReason) {
        try {
            Json.read(json, PipelineSpec.class);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                return path(m.getPath()) + ": " + mappingProblem(m);
            }
            String empty = firstNullItem(readTree(json), "");
            if (empty != null) {
                return empty + ": an empty list item";
            }
        }
        return jobReason;
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the spec's own JSON does not parse", e);
        }
    }

    /** The path of the first null inside a list (records refuse them without saying where), or null. */
    private static String firstNullItem(JsonNode node, String at) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String inner = node.get(i).isNull() ? at + "[" + i + "]" : firstNullItem(node.get(i), at + "[" + i + "]");
                if (inner != null) {
                    return inner;
                }
            }
        } else if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext(); ) {
                var f = fields.next();
                String inner = firstNullItem(f.getValue(), at.isEmpty() ? f.getKey() : at + "." + f.getKey());
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    /** What is wrong with the value: our own message where a record or enum refused it, else Jackson's. */
    private static String mappingProblem(JsonMappingException m) {
        Throwable root = m;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = firstLine(String.valueOf(root instanceof JsonProcessingException j ? j.getOriginalMessage()
                : root.getMessage()));
        if (msg.startsWith("Cannot map `null` into type")) {
            return "missing (required)";
        }
        return msg.replace("java.lang.", "").replace("java.util.", "").replace("io.sair.core.model.", "")
                .replace("`", "'");
    }

    private static String syntax(Exception e) {
        if (e instanceof JsonProcessingException j) {
            JsonLocation at = j.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ": ";
            return where + firstLine(String.valueOf(j.getOriginalMessage()));
        }
        return firstLine(String.valueOf(e.getMessage()));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
