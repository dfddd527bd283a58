package io.sair.connectors.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmSettingsTest {

    @Test
    void theEnvironmentConfiguresTheProvider() {
        LlmSettings s = LlmSettings.fromEnvironment(Map.of(LlmSettings.ENV_PROVIDER, " Ollama ",
                LlmSettings.ENV_BASE_URL, "http://ollama:11434", LlmSettings.ENV_MODEL, "qwen2.5",
                LlmSettings.ENV_TIMEOUT_MS, "2500"));
        assertThat(s.provider()).isEqualTo(LlmProvider.OLLAMA);
        assertThat(s.baseUrlFor(LlmProvider.OLLAMA)).isEqualTo("http://ollama:11434");
        assertThat(s.modelFor(LlmProvider.OLLAMA)).isEqualTo("qwen2.5");
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(2500));
        // Another provider (a pipeline's override) gets its public endpoint and default model.
        assertThat(s.baseUrlFor(LlmProvider.OPENAI)).isEqualTo("https://api.openai.com/v1");
        assertThat(s.modelFor(LlmProvider.ANTHROPIC)).isEqualTo(LlmProvider.ANTHROPIC.defaultModel());
    }

    @Test
    void nothingSetMeansNoProvider() {
        assertThat(LlmSettings.fromEnvironment(Map.of()).configured()).isFalse();
        assertThat(LlmSettings.fromEnvironment(Map.of(LlmSettings.ENV_PROVIDER, "  ")).configured()).isFalse();
        // As documented, and as the job option sair.llm.provider takes it.
        assertThat(LlmSettings.fromEnvironment(Map.of(LlmSettings.ENV_PROVIDER, "none")).configured()).isFalse();
        assertThat(LlmSettings.fromEnvironment(Map.of(LlmSettings.ENV_PROVIDER, " None ")).configured()).isFalse();
    }

    @Test
    void badValuesAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> LlmSettings.fromEnvironment(Map.of(LlmSettings.ENV_PROVIDER, "gemini")))
                .hasMessageContaining("unknown LLM provider 'gemini'").hasMessageContaining("openai, ollama or anthropic");
        assertThatThrownBy(() -> LlmSettings.fromEnvironment(Map.of(LlmSettings.ENV_TIMEOUT_MS, "10s")))
                .hasMessageContaining(LlmSettings.ENV_TIMEOUT_MS);
        assertThatThrownBy(() -> LlmSettings.none().withLimits(0, 1)).hasMessageContaining("in-flight");
    }

    @Test
    void theKeyComesFromTheEnvironmentOrAMountedFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("api-key");
        Files.writeString(file, "sk-from-file\n");
        LlmSettings s = LlmSettings.none().withProvider(LlmProvider.ANTHROPIC).withApiKeyFile(file.toString());
        assertThat(ApiKeys.find(LlmProvider.ANTHROPIC, s, Map.of(LlmSettings.ENV_API_KEY, "sk-env")))
                .isEqualTo("sk-env");
        assertThat(ApiKeys.find(LlmProvider.ANTHROPIC, s, Map.of())).isEqualTo("sk-from-file");
        // A provider other than the configured one reads its usual variable, not SAIR's key.
        assertThat(ApiKeys.find(LlmProvider.OPENAI, s, Map.of(LlmSettings.ENV_API_KEY, "sk-env",
                "OPENAI_API_KEY", "sk-openai"))).isEqualTo("sk-openai");
        assertThat(ApiKeys.find(LlmProvider.OLLAMA, s, Map.of())).isNull();
        // The settings carry the file's path, never the key.
        assertThat(s.toString()).doesNotContain("sk-from-file");
    }

    @Test
    void aMissingKeyIsAFallbackReasonNotACrash() throws Exception {
        try (LangchainLlmClient client = new LangchainLlmClient(LlmSettings.none().withProvider(LlmProvider.ANTHROPIC),
                Map.of())) {
            var request = new io.sair.core.policy.llm.LlmRequest("p", new io.sair.core.policy.llm.Prompt("s", "u", 0, 0),
                    io.sair.core.policy.llm.ActionSchema.forSpec(LlmFixtures.spec()), null, null, 1.0);
            assertThatThrownBy(() -> client.ask(request).join()).hasRootCauseInstanceOf(IllegalStateException.class)
                    .cause().hasMessageStartingWith("LLM not usable: no API key for anthropic");
        }
    }
}
