package io.sair.core.policy.llm;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON key of each stage (its sanitised name, which for a valid spec is the name itself) and the
 * lookup of a key the LLM wrote: exact, then ignoring case, then ignoring case and separators when that
 * names exactly one stage.
 */
final class StageKeys {

    private final Map<String, StageSpec> byKey = new LinkedHashMap<>();

    private StageKeys(PipelineSpec spec) {
        for (StageSpec s : spec.stages()) {
            // Two names that sanitise alike cannot both be addressed; the first keeps the key (a valid spec has none).
            byKey.putIfAbsent(PromptText.name(s.name()), s);
        }
    }

    static StageKeys of(PipelineSpec spec) {
        return new StageKeys(spec);
    }

    Map<String, StageSpec> all() {
        return byKey;
    }

    static String key(StageSpec s) {
        return PromptText.name(s.name());
    }

    Optional<StageSpec> find(String written) {
        if (written == null) {
            return Optional.empty();
        }
        StageSpec exact = byKey.get(written);
        if (exact != null) {
            return Optional.of(exact);
        }
        StageSpec found = null;
        for (Map.Entry<String, StageSpec> e : byKey.entrySet()) {
            if (e.getKey().equalsIgnoreCase(written)) {
                return Optional.of(e.getValue());
            }
        }
        String loose = loose(written);
        for (Map.Entry<String, StageSpec> e : byKey.entrySet()) {
            if (loose(e.getKey()).equals(loose)) {
                if (found != null) {
                    return Optional.empty();
                }
                found = e.getValue();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Lower case without separators: snake_case, camelCase and kebab-case read alike. */
    static String loose(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '_' && c != '-' && c != '.' && c != ' ') {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
