package io.sair.connectors.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sair.connectors.llm.LoopbackLlmServer.Behaviour;
import io.sair.connectors.llm.LoopbackLlmServer.Received;
import io.sair.core.ControllerState;
import io.sair.core.SairController;
import io.sair.core.model.Json;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageTarget;
import io.sair.core.policy.llm.ActionSchema;
import io.sair.core.validate.ActionValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each provider's real wire protocol on loopback, answering well and badly: a usable answer is the
 * decision (selector llm, its rationale recorded); anything else is the built-in selector's decision,
 * marked fallback with the reason, within the call's deadline, and the worker of a cut-off call lets go.
 */
class LlmProvidersITCase {

    static final Duration DEADLINE = Duration.ofMillis(1200);
    /** Slack over the deadline for the scheduler and a loaded machine; a hanging call would take 60 s. */
    static final long SLACK_MS = 1500;
    static final String KEY = "sk-test-secret-0123456789";

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (LlmProvider p : LlmProvider.values()) {
            for (Behaviour b : Behaviour.values()) {
                out.add(Arguments.of(p, b));
            }
        }
        return out.stream();
    }

    /**
     * One good call per provider first: the first call of a JVM loads the HTTP and JSON stacks, which on a
     * loaded test machine can take longer than this test's short deadline (production's default is 10 s).
     */
    @BeforeAll
    static void warmUp() throws Exception {
        for (LlmProvider p : LlmProvider.values()) {
            try (LoopbackLlmServer server = new LoopbackLlmServer(p);
                 LangchainLlmClient client = new LangchainLlmClient(new LlmSettings(p, server.baseUrl(), "test-model",
                         Duration.ofSeconds(30), 4, 0, null), Map.of(LlmSettings.ENV_API_KEY, KEY))) {
                server.behave(Behaviour.GOOD, LlmFixtures.GOOD_ANSWER);
                SairController.defaults().stepBlocking(ControllerState.initial(0.0),
                        LlmFixtures.context(LlmFixtures.spec()), LlmFixtures.spec(), client, p.wire());
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void answersOrFallsBackWithinTheDeadline(LlmProvider provider, Behaviour behaviour) throws Exception {
        PipelineSpec spec = LlmFixtures.spec();
        PipelineContext ctx = LlmFixtures.context(spec);
        LlmSettings settings = new LlmSettings(provider, null, "test-model", DEADLINE, 4, 1, null);
        try (LoopbackLlmServer server = new LoopbackLlmServer(provider);
             LangchainLlmClient client = new LangchainLlmClient(settings.withBaseUrl(server.baseUrl()),
                     Map.of(LlmSettings.ENV_API_KEY, KEY))) {
            server.behave(behaviour, LlmFixtures.GOOD_ANSWER);
            SairController step = SairController.defaults();

            long t0 = System.nanoTime();
            ScalingDecision d = step.stepBlocking(ControllerState.initial(0.0), ctx, spec, client, provider.wire())
                    .orElseThrow().decision();
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(tookMs).as("decided within the deadline").isLessThan(DEADLINE.toMillis() + SLACK_MS);
            assertThat(ActionValidator.sair().feasible(d.stages(), ctx, spec)).isTrue();
            assertThat(d.toString()).doesNotContain(KEY);
            switch (behaviour) {
                case GOOD, FENCED -> {
                    assertThat(d.selector()).as("fallback reason: %s", d.fallbackReason()).isEqualTo(Selector.LLM);
                    assertThat(d.fallbackReason()).isNull();
                    assertThat(d.rationale()).isEqualTo("the preprocess queue grows");
                    assertThat(d.stages()).filteredOn(t -> t.stage().equals("preprocess"))
                            .extracting(StageTarget::replicas).containsExactly(3);
                }
                default -> {
                    assertThat(d.selector()).isEqualTo(Selector.FALLBACK);
                    assertThat(d.fallbackReason()).containsAnyOf(expectedReasons(behaviour));
                }
            }
            assertRequestSpeaksTheProtocol(server, provider);
            if (behaviour == Behaviour.RATE_LIMITED || behaviour == Behaviour.SERVER_ERROR) {
                assertThat(server.received()).as("one retry, then the fallback").hasSize(2);
            }
            awaitWorkersReleased(client);
        }
    }

    static String[] expectedReasons(Behaviour b) {
        String deadline = "no answer within " + DEADLINE.toMillis() + " ms";
        return switch (b) {
            case PROSE_ANSWER -> new String[] {"unusable answer: no JSON object in the answer"};
            case MALFORMED_BODY, EMPTY_BODY -> new String[] {"unreadable response"};
            case RATE_LIMITED -> new String[] {"rate limited by the provider (HTTP 429)"};
            case SERVER_ERROR -> new String[] {"provider server error (HTTP 500)"};
            // Hang before headers: the HTTP client's timeout or our deadline, whichever fires first.
            case HANG -> new String[] {deadline, "timed out waiting for the provider"};
            case STALL -> new String[] {deadline};
            default -> throw new IllegalArgumentException(b.name());
        };
    }

    static void assertRequestSpeaksTheProtocol(LoopbackLlmServer server, LlmProvider provider) throws Exception {
        assertThat(server.received()).isNotEmpty();
        Received r = server.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(server.expectedPath());
        // The answer's JSON schema travels with the request (structured output), and so does the temperature.
        String compact = r.body().replaceAll("\\s+", "");
        assertThat(compact).contains("\"additionalProperties\":false").contains("rate_ratio").contains("0.7");
        assertThat(r.body()).contains("Past episodes").contains("test-model");
        JsonNode body = Json.MAPPER.readTree(r.body());
        JsonNode schema = ActionSchema.forSpec(LlmFixtures.spec()).asJsonNode();
        switch (provider) {
            case OPENAI -> {
                assertThat(r.headers()).containsEntry("authorization", "Bearer " + KEY);
                // Structured output in strict mode, with ActionSchema's schema as written (all required, unused targets null).
                assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
                assertThat(body.at("/response_format/json_schema/strict").asBoolean()).isTrue();
                assertThat(body.at("/response_format/json_schema/schema")).isEqualTo(schema);
            }
            case OLLAMA -> {
                assertThat(r.headers()).containsEntry("authorization", "Bearer " + KEY);
                // Ollama constrains its output to the schema given as "format".
                assertThat(body.get("format")).isEqualTo(schema);
            }
            case ANTHROPIC -> {
                assertThat(r.headers()).containsEntry("x-api-key", KEY);
                assertThat(r.headers()).containsKey("anthropic-version");
                // Anthropic's structured outputs (constrained to the schema) via langchain4j's output_config.
                assertThat(body.at("/output_config/format/type").asText()).isEqualTo("json_schema");
                assertThat(body.at("/output_config/format/schema")).isEqualTo(schema);
            }
        }
    }

    static void awaitWorkersReleased(LangchainLlmClient client) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (client.inFlight() > 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(client.inFlight()).as("calls still holding a worker").isZero();
    }
}
