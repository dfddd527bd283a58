package io.sair.connectors.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds a provider's API key where a deployment puts secrets: for the configured provider
 * {@code SAIR_LLM_API_KEY}, else the key file ({@code sair.llm.api-key-file} or {@code SAIR_LLM_API_KEY_FILE},
 * a mounted Secret); for another provider its usual variable (OPENAI_API_KEY, ANTHROPIC_API_KEY). The key
 * is handed to the HTTP client only: never logged, never in a record or a configuration.
 */
final class ApiKeys {

    private ApiKeys() {
    }

    /** The key, or null when the provider needs none here (Ollama, a local vLLM). */
    static String find(LlmProvider p, LlmSettings s, Map<String, String> env) {
        if (p == s.provider()) {
            String direct = env.get(LlmSettings.ENV_API_KEY);
            if (direct != null && !direct.isBlank()) {
                return direct.trim();
            }
            if (s.apiKeyFile() != null) {
                return read(Path.of(s.apiKeyFile()));
            }
        }
        String usual = p.keyVariable() == null ? null : env.get(p.keyVariable());
        return usual == null || usual.isBlank() ? null : usual.trim();
    }

    private static String read(Path file) {
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (key.isEmpty()) {
                throw new IllegalStateException("the LLM API key file " + file + " is empty");
            }
            return key;
        } catch (IOException e) {
            // The path is configuration, not a secret; the content never goes into a message.
            throw new UncheckedIOException("cannot read the LLM API key file " + file, e);
        }
    }
}
