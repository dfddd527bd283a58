package io.sair.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.Fixtures;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.PolicySettings;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.policy.llm.LlmClient;
import io.sair.core.policy.llm.LlmClientFactory;
import io.sair.core.policy.llm.LlmRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The controller operator with an LLM whose answers the test gives by hand: the answer is handled from the
 * mailbox, a late round is decided by the built-in selector when the next window comes, a call in flight
 * survives a snapshot and is asked again after the restore, and without an LLM it decides as before.
 */
class ControllerOperatorTest {

    static final String ANSWER = "{\"preprocess\": {\"action\": \"scale_replicas\", \"replicas\": 3}, "
            + "\"inference\": \"none\", \"postprocess\": \"none\", \"rationale\": \"queue grows\"}";
    /** The calls the operator made, in order (static: the factory is shared with the operator as is). */
    static final BlockingQueue<CompletableFuture<String>> CALLS = new LinkedBlockingQueue<>();

    @AfterEach
    void clear() {
        CALLS.clear();
    }

    static PipelineSpec spec() {
        PipelineSpec s = Fixtures.spec();
        return new PipelineSpec(s.v(), s.name(), s.stages(), s.slaP99Ms(), s.prices(),
                new PolicySettings(null, null, null, null, null, 0.0, null, 0.0, null, null, null), s.mode());
    }

    static PipelineContext context(int window) {
        return Fixtures.context(spec(), window * Fixtures.WINDOW_MS, 300, List.of(Fixtures.alloc(2), Fixtures.alloc(1),
                Fixtures.alloc(1)), new double[] {0.9, 0.5, 0.3});
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, ControllerInput, SpecChange, ScalingDecision> harness(
            LlmClientFactory llm) throws Exception {
        return harness(llm, 0);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, ControllerInput, SpecChange, ScalingDecision> harness(
            LlmClientFactory llm, long heldWeight) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new ControllerOperator(false, llm, heldWeight),
                ControllerInput::pipeline, null, Types.STRING);
    }

    static void start(KeyedTwoInputStreamOperatorTestHarness<String, ControllerInput, SpecChange, ScalingDecision> h,
                      OperatorSubtaskState restoreFrom) throws Exception {
        if (restoreFrom == null) {
            h.open();
            h.processElement2(new StreamRecord<>(new SpecChange(spec().name(), spec(), null, null)));
        } else {
            h.initializeState(restoreFrom);
            h.open();
        }
    }

    static List<ScalingDecision> decisions(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ScalingDecision> h) {
        return h.extractOutputValues();
    }

    /** Runs what is in the task's mailbox, as the task thread would between records. */
    static void runMailbox(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> h) throws Exception {
        TaskMailbox mailbox = h.getTaskMailbox();
        Optional<Mail> mail;
        while ((mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY)).isPresent()) {
            mail.get().run();
        }
    }

    @Test
    void theAnswerIsHandledFromTheMailboxAndDecides() throws Exception {
        try (var h = harness(new TestingLlmFactory("openai"))) {
            start(h, null);
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            assertThat(decisions(h)).as("nothing before the answer").isEmpty();
            assertThat(CALLS).hasSize(1);

            CALLS.take().complete(ANSWER);
            runMailbox(h);
            assertThat(decisions(h)).singleElement().satisfies(d -> {
                assertThat(d.selector()).isEqualTo(Selector.LLM);
                assertThat(d.rationale()).isEqualTo("queue grows");
                assertThat(d.windowEnd()).isEqualTo(2 * Fixtures.WINDOW_MS);
            });
        }
    }

    @Test
    void aRoundStillWaitingWhenTheNextWindowComesIsDecidedWithoutTheLlm() throws Exception {
        try (var h = harness(new TestingLlmFactory("openai"))) {
            start(h, null);
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            CompletableFuture<String> late = CALLS.take();
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            assertThat(CALLS).as("the same window again is not asked twice").isEmpty();

            h.processElement1(new StreamRecord<>(ControllerInput.round(context(3))));
            assertThat(decisions(h)).singleElement().satisfies(d -> {
                assertThat(d.windowEnd()).isEqualTo(2 * Fixtures.WINDOW_MS);
                assertThat(d.selector()).isEqualTo(Selector.FALLBACK);
                assertThat(d.fallbackReason()).isEqualTo(ControllerOperator.SUPERSEDED);
            });
            late.complete(ANSWER);
            CALLS.take().completeExceptionally(new io.sair.core.policy.llm.LlmFailure("rate limited (HTTP 429)"));
            runMailbox(h);
            assertThat(decisions(h)).as("the late answer is dropped; window 3 falls back").hasSize(2);
            assertThat(decisions(h).get(1)).satisfies(d -> {
                assertThat(d.windowEnd()).isEqualTo(3 * Fixtures.WINDOW_MS);
                assertThat(d.selector()).isEqualTo(Selector.FALLBACK);
                assertThat(d.fallbackReason()).isEqualTo("rate limited (HTTP 429)");
                assertThat(d.previousReward()).as("the superseded decision was rewarded").isNotNull();
            });
        }
    }

    @Test
    void aCallInFlightAtASnapshotIsAskedAgainAfterTheRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(new TestingLlmFactory("openai"))) {
            start(h, null);
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            snapshot = h.snapshot(1, 1);
            assertThat(decisions(h)).isEmpty();
            // The client's deadline ends the call (closing the operator waits for calls still out).
            CALLS.take().completeExceptionally(new java.util.concurrent.TimeoutException());
        }
        CALLS.clear();
        try (var h = harness(new TestingLlmFactory("openai"))) {
            start(h, snapshot);
            runMailbox(h);
            assertThat(CALLS).as("asked again").hasSize(1);
            CALLS.take().complete(ANSWER);
            runMailbox(h);
            assertThat(decisions(h)).singleElement().satisfies(d -> {
                assertThat(d.windowEnd()).isEqualTo(2 * Fixtures.WINDOW_MS);
                assertThat(d.selector()).isEqualTo(Selector.LLM);
            });
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(3))));
            assertThat(CALLS).as("the next round asks as usual").hasSize(1);
            CALLS.take().complete(ANSWER);
        }
    }

    @Test
    void withoutAnLlmRoundsAreDecidedAtOnceByTheBuiltinSelector() throws Exception {
        try (var h = harness(null)) {
            start(h, null);
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(3))));
            assertThat(decisions(h)).extracting(ScalingDecision::selector).containsExactly(Selector.BUILTIN,
                    Selector.BUILTIN);
            h.processElement2(new StreamRecord<>(new SpecChange(spec().name(), null, null, null)));
            assertThat(h.numKeyedStateEntries()).as("the removed pipeline's state is gone").isZero();
        }
    }

    @Test
    void roundsThatComeBeforeTheirSpecAreDecidedWhenItComes() throws Exception {
        try (var h = harness(null)) {
            h.open();
            // The spec reaches the controller on its own broadcast channel, after the gate has released the reports.
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(3))));
            assertThat(decisions(h)).isEmpty();
            assertThat(h.numKeyedStateEntries()).as("the rounds wait in state").isPositive();

            h.processElement2(new StreamRecord<>(new SpecChange(spec().name(), spec(), null, null)));
            assertThat(decisions(h)).extracting(ScalingDecision::windowEnd)
                    .containsExactly(2 * Fixtures.WINDOW_MS, 3 * Fixtures.WINDOW_MS);
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(4))));
            assertThat(decisions(h)).hasSize(3);
        }
        try (var h = harness(null)) {
            h.open();
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            // A pipeline removed before its spec ever came here: its waiting rounds go with it.
            h.processElement2(new StreamRecord<>(new SpecChange(spec().name(), null, null, null)));
            assertThat(h.numKeyedStateEntries()).isZero();
            h.processElement2(new StreamRecord<>(new SpecChange(spec().name(), spec(), null, null)));
            assertThat(decisions(h)).isEmpty();
        }
    }

    @Test
    void stateHeldInMemoryIsWrittenAtTheSnapshotAndDecidesAsStateReadEveryRound() throws Exception {
        List<ScalingDecision> readEveryRound = rounds(0, 0);
        assertThat(readEveryRound).hasSize(6);
        assertThat(rounds(1_000, 1_000)).isEqualTo(readEveryRound);
        assertThat(rounds(1_000, 0)).isEqualTo(readEveryRound);
        assertThat(rounds(0, 1_000)).isEqualTo(readEveryRound);
    }

    @Test
    void heldStateIsWrittenThroughAndARemovedPipelinesIsGone() throws Exception {
        try (var h = harness(null, 1_000)) {
            start(h, null);
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            assertThat(h.numKeyedStateEntries()).as("written at once, held as well; and the spec").isEqualTo(2);
            h.processElement2(new StreamRecord<>(new SpecChange(spec().name(), null, null, null)));
            assertThat(h.numKeyedStateEntries()).isZero();
            // Back with a new spec: it starts afresh (nothing pending to reward), not from what was held.
            h.processElement2(new StreamRecord<>(new SpecChange(spec().name(), spec(), null, null)));
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(3))));
            assertThat(decisions(h)).hasSize(2);
            assertThat(decisions(h).get(1).previousReward()).isNull();
        }
    }

    /** Six rounds, a snapshot and restore after the third; what is held in memory before and after it. */
    private static List<ScalingDecision> rounds(long heldBefore, long heldAfter) throws Exception {
        List<ScalingDecision> out = new java.util.ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(null, heldBefore)) {
            start(h, null);
            for (int w = 2; w <= 4; w++) {
                h.processElement1(new StreamRecord<>(ControllerInput.round(context(w))));
            }
            snapshot = h.snapshot(1, 1);
            out.addAll(decisions(h));
        }
        try (var h = harness(null, heldAfter)) {
            start(h, snapshot);
            for (int w = 5; w <= 7; w++) {
                h.processElement1(new StreamRecord<>(ControllerInput.round(context(w))));
            }
            out.addAll(decisions(h));
        }
        return out;
    }

    /** Hands out futures the test completes; the client outlives nothing (the queue is static). */
    static final class TestingLlmFactory implements LlmClientFactory {
        private static final long serialVersionUID = 1L;
        private final String provider;

        TestingLlmFactory(String provider) {
            this.provider = provider;
        }

        @Override
        public LlmClient create() {
            return new LlmClient() {
                @Override
                public CompletableFuture<String> ask(LlmRequest request) {
                    CompletableFuture<String> f = new CompletableFuture<>();
                    CALLS.add(f);
                    return f;
                }

                @Override
                public long deadlineMs() {
                    return 200;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public String defaultProvider() {
            return provider;
        }
    }
}
