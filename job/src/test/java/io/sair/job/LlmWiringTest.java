package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.connectors.llm.LlmProvider;
import io.sair.connectors.llm.LlmSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class LlmWiringTest {

    static final Map<String, String> ENV = Map.of(LlmSettings.ENV_PROVIDER, "openai", LlmSettings.ENV_BASE_URL,
            "http://vllm:8000/v1", LlmSettings.ENV_TIMEOUT_MS, "4000");

    @Test
    void theEnvironmentAppliesWhereNoOptionIsSet() {
        LlmSettings s = LlmWiring.settings(new Configuration(), ENV);
        assertThat(s.provider()).isEqualTo(LlmProvider.OPENAI);
        assertThat(s.baseUrl()).isEqualTo("http://vllm:8000/v1");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.maxInFlight()).isEqualTo(16);
    }

    @Test
    void aJobOptionWinsOverItsVariable() {
        Configuration c = new Configuration();
        c.set(SairOptions.LLM_PROVIDER, "anthropic");
        c.set(SairOptions.LLM_TIMEOUT, Duration.ofSeconds(20));
        c.set(SairOptions.LLM_MAX_RETRIES, 0);
        LlmSettings s = LlmWiring.settings(c, ENV);
        assertThat(s.provider()).isEqualTo(LlmProvider.ANTHROPIC);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.maxRetries()).isZero();
    }

    @Test
    void noneSwitchesTheLlmOff() {
        Configuration c = new Configuration();
        c.set(SairOptions.LLM_PROVIDER, "none");
        assertThat(LlmWiring.settings(c, ENV).configured()).isFalse();
        assertThat(LlmWiring.factory(c, ENV).defaultProvider()).isNull();
        assertThat(LlmWiring.factory(new Configuration(), ENV).defaultProvider()).isEqualTo("openai");
    }
}
