package io.sair.core.policy.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.ControllerState;
import io.sair.core.Fixtures;
import io.sair.core.Round;
import io.sair.core.SairController;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.PolicySettings;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageTarget;
import io.sair.core.policy.llm.LlmStep.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class LlmStepTest {

    static final long T = 10 * Fixtures.WINDOW_MS;
    final SairController controller = SairController.defaults();
    final LlmStep step = LlmStep.of(controller);

    static PipelineSpec spec(String selector, String provider) {
        PipelineSpec s = Fixtures.spec();
        return new PipelineSpec(s.v(), s.name(), s.stages(), s.slaP99Ms(), s.prices(),
                new PolicySettings(selector, provider, null, 0.3, null, 0.0, null, 0.0, null, null, null), s.mode());
    }

    Round round(PipelineSpec spec) {
        PipelineContext ctx = Fixtures.context(spec, T, 300, List.of(Fixtures.alloc(2), Fixtures.alloc(1),
                Fixtures.alloc(1)), new double[] {0.9, 0.5, 0.3});
        return controller.begin(ControllerState.initial(0.0), ctx, spec);
    }

    @Test
    void theRouteFollowsTheSpecAndTheJobsProvider() {
        assertThat(LlmStep.route(spec(null, null).policy(), null)).isEqualTo(Route.BUILTIN);
        assertThat(LlmStep.route(spec(null, null).policy(), "openai")).isEqualTo(Route.LLM);
        assertThat(LlmStep.route(spec("builtin", null).policy(), "openai")).isEqualTo(Route.BUILTIN);
        assertThat(LlmStep.route(spec("llm", null).policy(), null)).isEqualTo(Route.NO_PROVIDER);
        assertThat(LlmStep.route(spec("llm", "ollama").policy(), null)).isEqualTo(Route.LLM);
        assertThat(spec(null, null).policy().selector()).isEqualTo(PolicySettings.AUTO);
        assertThat(spec(null, null).problems()).isEmpty();
        assertThat(spec("llm", "Ollama").problems()).isEmpty();
        assertThat(spec("llm", "gemini").problems()).anyMatch(p -> p.contains("llmProvider"));
    }

    @Test
    void aUsableAnswerIsTheDecisionWithItsRationale() {
        ScalingDecision d = step.answered(round(spec("llm", null)), "{\"preprocess\": {\"action\": \"scale_replicas\", "
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
        assertThat(step.answered(r, answer.formatted(other)).decision().rationale())
                .isEqualTo("hold [bottleneck: the LLM says " + other + ", the detector " + detected + "]");
        assertThat(step.answered(round(spec("llm", null)), answer.formatted(detected)).decision().rationale())
                .isEqualTo("hold");
    }

    @Test
    void anAnswerBeyondTheBoundsIsNotUsed() {
        Round r = round(spec("llm", null));
        ScalingDecision d = step.answered(r, "{\"preprocess\": {\"action\": \"scale_replicas\", \"replicas\": 20}}")
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
        assertThat(step.answered(r, "```json\n{\"preprocess\": ").decision().fallbackReason())
                .startsWith("unusable answer: ");
        assertThat(step.failed(r, new CompletionException(new LlmFailure("rate limited (HTTP 429)\nretry later")))
                .decision().fallbackReason()).isEqualTo("rate limited (HTTP 429) retry later");
        assertThat(step.failed(r, new CompletionException(new TimeoutException())).decision().fallbackReason())
                .isEqualTo("no answer within the deadline");
        assertThat(step.failed(r, new IllegalStateException("secret body")).decision().fallbackReason())
                .isEqualTo("LLM call failed: IllegalStateException");
    }

    @Test
    void theBlockingStepAsksOnlyWhenTheLlmDecides() {
        TestingLlmClient client = new TestingLlmClient("{\"preprocess\": {\"action\": \"none\"}}");
        PipelineContext ctx = round(spec("llm", null)).context();

        assertThat(step.stepBlocking(ControllerState.initial(0.0), ctx, spec("builtin", null), client, "openai")
                .orElseThrow().decision().selector()).isEqualTo(Selector.BUILTIN);
        assertThat(client.requests).isEmpty();
        assertThat(step.stepBlocking(ControllerState.initial(0.0), ctx, spec("llm", null), null, null)
                .orElseThrow().decision().fallbackReason()).isEqualTo(LlmStep.NO_PROVIDER_REASON);

        ScalingDecision d = step.stepBlocking(ControllerState.initial(0.0), ctx, spec(null, null), client, "openai")
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
