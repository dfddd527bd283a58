package io.sair.connectors.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.connectors.actuate.TestDecisions.TestingSleeper;
import io.sair.connectors.llm.LoopbackLlmServer.Behaviour;
import io.sair.core.ControllerState;
import io.sair.core.SairController;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The LLM client retries under the same {@link io.sair.connectors.actuate.Retry} policy as the actuators:
 * rate limits are retried with a doubling backoff, at most {@code maxRetries} times, and only while the
 * deadline leaves room. Over a real loopback server; the backoffs are recorded, not slept.
 */
class LlmRetryITCase {

    @Test
    void aRateLimitIsRetriedWithDoublingBackoffUpToMaxRetries() throws Exception {
        try (LoopbackLlmServer server = new LoopbackLlmServer(LlmProvider.OPENAI)) {
            server.behave(Behaviour.RATE_LIMITED, LlmFixtures.GOOD_ANSWER);
            TestingSleeper sleeper = new TestingSleeper();

            String reason = decide(server, 2, Duration.ofSeconds(5), sleeper).fallbackReason();

            assertThat(reason).isEqualTo("rate limited by the provider (HTTP 429)");
            assertThat(server.received()).hasSize(3);
            assertThat(sleeper.slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        }
    }

    @Test
    void theDeadlineEndsTheRetriesBeforeMaxRetries() throws Exception {
        try (LoopbackLlmServer server = new LoopbackLlmServer(LlmProvider.OPENAI)) {
            server.behave(Behaviour.SERVER_ERROR, LlmFixtures.GOOD_ANSWER);
            TestingSleeper sleeper = new TestingSleeper();

            // 5 retries would back off 100+200+400+800+1600 ms; a 1.5 s deadline never has room for the 800 ms one.
            decide(server, 5, Duration.ofMillis(1500), sleeper);

            assertThat(sleeper.slept).isNotEmpty().hasSizeLessThanOrEqualTo(3);
            assertThat(sleeper.slept).isEqualTo(List.of(Duration.ofMillis(100), Duration.ofMillis(200),
                    Duration.ofMillis(400)).subList(0, sleeper.slept.size()));
            assertThat(server.received()).hasSize(sleeper.slept.size() + 1);
        }
    }

    @Test
    void aGoodAnswerIsAskedOnce() throws Exception {
        try (LoopbackLlmServer server = new LoopbackLlmServer(LlmProvider.OPENAI)) {
            server.behave(Behaviour.GOOD, LlmFixtures.GOOD_ANSWER);
            TestingSleeper sleeper = new TestingSleeper();

            ScalingDecision d = decide(server, 3, Duration.ofSeconds(5), sleeper);

            assertThat(d.fallbackReason()).isNull();
            assertThat(server.received()).hasSize(1);
            assertThat(sleeper.slept).isEmpty();
        }
    }

    private static ScalingDecision decide(LoopbackLlmServer server, int maxRetries, Duration deadline,
                                          TestingSleeper sleeper) {
        PipelineSpec spec = LlmFixtures.spec();
        LlmSettings settings = new LlmSettings(LlmProvider.OPENAI, server.baseUrl(), "test-model", deadline, 4,
                maxRetries, null);
        try (LangchainLlmClient client = new LangchainLlmClient(settings,
                Map.of(LlmSettings.ENV_API_KEY, "sk-test-0123456789"), sleeper)) {
            return SairController.defaults()
                    .stepBlocking(ControllerState.initial(0.0), LlmFixtures.context(spec), spec, client, "openai")
                    .orElseThrow().decision();
        }
    }
}
