package io.sair.connectors.llm;

import io.sair.core.model.WireName;
import java.util.Locale;

/** The chat APIs SAIR speaks, each with the address and the key variable it uses when none is configured. */
public enum LlmProvider implements WireName {
    /** Any OpenAI-compatible endpoint: OpenAI, vLLM, the llama.cpp server. */
    OPENAI("https://api.openai.com/v1", "gpt-4o-mini", "OPENAI_API_KEY"),
    OLLAMA("http://localhost:11434", "llama3.1", null),
    ANTHROPIC("https://api.anthropic.com/v1/", "claude-sonnet-4-5", "ANTHROPIC_API_KEY");

    private final String defaultBaseUrl;
    private final String defaultModel;
    private final String keyVariable;

    LlmProvider(String defaultBaseUrl, String defaultModel, String keyVariable) {
        this.defaultBaseUrl = defaultBaseUrl;
        this.defaultModel = defaultModel;
        this.keyVariable = keyVariable;
    }

    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    public String defaultModel() {
        return defaultModel;
    }

    /** The provider's usual key variable (OPENAI_API_KEY ...), read when the provider is not the configured one. */
    public String keyVariable() {
        return keyVariable;
    }

    /** The provider of a name, with a clear error listing the choices. */
    public static LlmProvider parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (LlmProvider p : values()) {
            if (p.wire().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown LLM provider '" + name + "': expected openai, ollama or anthropic");
    }
}
