package io.sair.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Json;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.PolicySettings;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.SelectorSetting;
import io.sair.core.model.Selector;
import io.sair.core.model.StageTarget;
import io.sair.core.policy.llm.LlmClient;
import io.sair.core.policy.llm.LlmFailure;
import io.sair.core.policy.llm.LlmRequest;
import io.sair.core.policy.llm.PromptBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@link SairController#decide}, the one place a round goes to a probe, the built-in selector, the fallback or the LLM. */
class RoundDispatchTest {

    static final long T = 10 * Fixtures.WINDOW_MS;
    final SairController controller = SairController.defaults();

    static PipelineSpec spec(String selector, String provider) {
        PipelineSpec s = Fixtures.spec();
        return new PipelineSpec(s.v(), s.name(), s.stages(), s.slaP99Ms(), s.prices(),
                new PolicySettings(selector, provider, null, 0.3, null, 0.0, null, 0.0, null, null, null), s.mode());
    }

    static PipelineContext context(PipelineSpec spec) {
        return Fixtures.context(spec, T, 300, List.of(Fixtures.alloc(2), Fixtures.alloc(1), Fixtures.alloc(1)),
                new double[] {0.9, 0.5, 0.3});
    }

    Round round(PipelineSpec spec) {
        return controller.begin(ControllerState.initial(0.0), context(spec), spec);
    }

    @Test
    void theRouteFollowsTheSpecTheClientAndTheProviders() {
        // With a client: auto asks once any provider is named; llm without one falls back.
        assertThat(Route.of(spec(null, null).policy(), true, null)).isEqualTo(Route.BUILTIN);
        assertThat(Route.of(spec(null, null).policy(), true, "openai")).isEqualTo(Route.LLM);
        assertThat(Route.of(spec("builtin", null).policy(), true, "openai")).isEqualTo(Route.BUILTIN);
        assertThat(Route.of(spec("llm", null).policy(), true, null)).isEqualTo(Route.NO_PROVIDER);
        assertThat(Route.of(spec("llm", "ollama").policy(), true, null)).isEqualTo(Route.LLM);
        assertThat(Route.of(spec("auto", "ollama").policy(), true, null)).isEqualTo(Route.LLM);
        // Without a client nothing asks; a pipeline that wants the LLM sees the fallback, the others are built-in.
        assertThat(Route.of(spec(null, null).policy(), false, "openai")).isEqualTo(Route.BUILTIN);
        assertThat(Route.of(spec("builtin", "ollama").policy(), false, null)).isEqualTo(Route.BUILTIN);
        assertThat(Route.of(spec("llm", null).policy(), false, null)).isEqualTo(Route.NO_PROVIDER);
        assertThat(Route.of(spec("auto", "ollama").policy(), false, null)).isEqualTo(Route.NO_PROVIDER);
    }

    @Test
    void theSelectorSettingIsAnEnumReadFromAnyCase() throws Exception {
        assertThat(spec(null, null).policy().selectorSetting()).isEqualTo(SelectorSetting.AUTO);
        assertThat(spec(" LLM ", null).policy().selectorSetting()).isEqualTo(SelectorSetting.LLM);
        // Stored as the wire name, as the specs in savepoints hold it.
        assertThat(spec("BuiltIn", null).policy().selector()).isEqualTo("builtin");
        assertThat(Json.MAPPER.readValue("{\"selector\": \"Llm\"}", PolicySettings.class).selectorSetting())
                .isEqualTo(SelectorSetting.LLM);
        assertThat(spec("gpt", null).policy().selectorSetting()).isNull();
        assertThat(spec("gpt", null).problems()).contains("policy.selector: must be auto, builtin or llm");
        assertThat(spec(null, null).problems()).isEmpty();
        assertThat(spec("llm", "Ollama").problems()).isEmpty();
        assertThat(spec("llm", "gemini").problems()).anyMatch(p -> p.contains("llmProvider"));
    }

    @Test
    void onlyAnLlmRoundIsLeftOpenAsAQuestion() {
        Round r = round(spec("llm", null));
        assertThat(controller.decide(r, Route.LLM)).isInstanceOfSatisfying(Next.Ask.class, a -> {
            assertThat(a.round()).isSameAs(r);
            assertThat(a.request().temperature()).isEqualTo(0.3);
            assertThat(a.request().schema().asString()).contains("preprocess");
        });
        assertThat(controller.decide(r, Route.BUILTIN)).isInstanceOfSatisfying(Next.Decided.class,
                d -> assertThat(d.outcome().decision().selector()).isEqualTo(Selector.BUILTIN));
        assertThat(controller.decide(r, Route.NO_PROVIDER)).isInstanceOfSatisfying(Next.Decided.class,
                d -> assertThat(d.outcome().decision().fallbackReason()).isEqualTo(Route.NO_PROVIDER_REASON));
    }

    @Test
    void aProbeIsDecidedWhateverTheRoute() {
        PipelineSpec spec = spec("llm", "ollama");
        PipelineSpec explores = new PipelineSpec(spec.v(), spec.name(), spec.stages(), spec.slaP99Ms(), spec.prices(),
                new PolicySettings("llm", "ollama", null, 0.3, null, 1.0, 1.0, 1.0, null, null, null), spec.mode());
        PipelineContext calm = Fixtures.context(explores, T, 100, List.of(Fixtures.alloc(2), Fixtures.alloc(2),
                Fixtures.alloc(2)), new double[] {0.3, 0.3, 0.3});
        Round r = controller.begin(ControllerState.initial(1.0), calm, explores);
        assertThat(r.probe()).isPresent();
        assertThat(controller.decide(r, Route.LLM)).isInstanceOfSatisfying(Next.Decided.class,
                d -> assertThat(d.outcome().decision().selector()).isEqualTo(Selector.PROBE));
    }

    @Test
    void theRoundWithoutAClientRoutesAsTheOperatorDoes() {
        // Before one dispatcher, step() ignored the selector and marked such a round built-in.
        ScalingDecision d = controller.step(ControllerState.initial(0.0), context(spec("llm", null)), spec("llm", null))
                .orElseThrow().decision();
        assertThat(d.selector()).isEqualTo(Selector.FALLBACK);
        assertThat(d.fallbackReason()).isEqualTo(Route.NO_PROVIDER_REASON);
        assertThat(controller.step(ControllerState.initial(0.0), context(spec(null, null)), spec(null, null))
                .orElseThrow().decision().selector()).isEqualTo(Selector.BUILTIN);
    }

    @Test
    void aUsableAnswerIsTheDecisionWithItsRationale() {
        ScalingDecision d = controller.answered(round(spec("llm", null)), "{\"preprocess\": {\"action\": \"scale_replicas\", "
                + "\"replicas\": 3}, \"inference\": \"none\", \"postprocess\": \"none\", \"rationale\": \"queue grows\"}")
                .decision();
        assertThat(d.selector()).isEqualTo(Selector.LLM);
        assertThat(d.fallbackReason()).isNull();
        assertThat(d.rationale()).isEqualTo("queue grows");
        assertThat(d.stages()).filteredOn(t -> t.stage().equals("preprocess")).extracting(StageTarget::replicas)
                .containsExactly(3);
    }

    @Test
    void theLlmsBottleneckIsInTheRationaleWhenItDiffersFromTheDetectors() {
        Round r = round(spec("llm", null));
        String detected = r.policyInput().bottleneck() == null ? "none" : r.policyInput().bottleneck().wire();
        String other = detected.equals("postprocessing") ? "preprocessing" : "postprocessing";
        String answer = "{\"preprocess\": \"none\", \"inference\": \"none\", \"postprocess\": \"none\", "
                + "\"rationale\": \"hold\", \"bottleneck\": \"%s\"}";
        assertThat(controller.answered(r, answer.formatted(other)).decision().rationale())
                .isEqualTo("hold [bottleneck: the LLM says " + other + ", the detector " + detected + "]");
        assertThat(controller.answered(round(spec("llm", null)), answer.formatted(detected)).decision().rationale())
                .isEqualTo("hold");
    }

    @Test
    void anAnswerBeyondTheBoundsIsNotUsed() {
        Round r = round(spec("llm", null));
        ScalingDecision d = controller.answered(r, "{\"preprocess\": {\"action\": \"scale_replicas\", \"replicas\": 20}}")
                .decision();
        ScalingDecision builtin = controller.finish(r, controller.config().builtin().propose(r.policyInput()),
                Selector.BUILTIN, null).decision();
        assertThat(d.selector()).isEqualTo(Selector.FALLBACK);
        assertThat(d.fallbackReason()).isEqualTo("infeasible answer: preprocess.replicas 20 outside 1..8");
        assertThat(d.stages()).isEqualTo(builtin.stages());
    }

    @Test
    void failuresBecomeFallbacksWithAShortReason() {
        Round r = round(spec("llm", null));
        assertThat(controller.answered(r, "```json\n{\"preprocess\": ").decision().fallbackReason())
                .startsWith("unusable answer: ");
        assertThat(controller.failed(r, new CompletionException(new LlmFailure("rate limited (HTTP 429)\nretry later")))
                .decision().fallbackReason()).isEqualTo("rate limited (HTTP 429) retry later");
        assertThat(controller.failed(r, new CompletionException(new TimeoutException())).decision().fallbackReason())
                .isEqualTo("no answer within the deadline");
        assertThat(controller.failed(r, new IllegalStateException("secret body")).decision().fallbackReason())
                .isEqualTo("LLM call failed: IllegalStateException");
    }

    @Test
    void theBlockingStepAsksOnlyWhenTheLlmDecides() {
        TestingLlmClient client = new TestingLlmClient("{\"preprocess\": {\"action\": \"none\"}}");
        PipelineContext ctx = context(spec("llm", null));

        assertThat(controller.stepBlocking(ControllerState.initial(0.0), ctx, spec("builtin", null), client, "openai")
                .orElseThrow().decision().selector()).isEqualTo(Selector.BUILTIN);
        assertThat(client.requests).isEmpty();
        assertThat(controller.stepBlocking(ControllerState.initial(0.0), ctx, spec("llm", null), null, null)
                .orElseThrow().decision().fallbackReason()).isEqualTo(Route.NO_PROVIDER_REASON);

        ScalingDecision d = controller.stepBlocking(ControllerState.initial(0.0), ctx, spec(null, null), client, "openai")
                .orElseThrow().decision();
        assertThat(d.selector()).isEqualTo(Selector.LLM);
        assertThat(client.requests).singleElement().satisfies(q -> {
            assertThat(q.temperature()).isEqualTo(0.3);
            assertThat(q.prompt().estimateTokens()).isLessThanOrEqualTo(PromptBuilder.DEFAULT_MAX_TOKENS);
            assertThat(q.schema().asString()).contains("preprocess");
        });
    }

    /** Answers every request with the same text. */
    static final class TestingLlmClient implements LlmClient {
        final List<LlmRequest> requests = new ArrayList<>();
        final String answer;

        TestingLlmClient(String answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<String> ask(LlmRequest request) {
            requests.add(request);
            return CompletableFuture.completedFuture(answer);
        }

        @Override
        public long deadlineMs() {
            return 1000;
        }

        @Override
        public void close() {
        }
    }
}
