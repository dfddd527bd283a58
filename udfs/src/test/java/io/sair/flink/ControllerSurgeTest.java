package io.sair.flink;

import static io.sair.flink.ControllerOperatorTest.ANSWER;
import static io.sair.flink.ControllerOperatorTest.CALLS;
import static io.sair.flink.ControllerOperatorTest.context;
import static io.sair.flink.ControllerOperatorTest.decisions;
import static io.sair.flink.ControllerOperatorTest.harness;
import static io.sair.flink.ControllerOperatorTest.runMailbox;
import static io.sair.flink.ControllerOperatorTest.spec;
import static io.sair.flink.ControllerOperatorTest.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.ControllerState;
import io.sair.core.Fixtures;
import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageTarget;
import io.sair.core.model.StageWindow;
import java.util.List;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fast path in the controller operator: a short window where demand outruns the first stage is a surge
 * decision at once, a calm or stale one is none, a load rising as a line surges before it reaches the panic mark
 * (the operator keeps each pipeline's last periods), and a surge while a round waits for the LLM keeps its marks
 * when that round's answer finishes it.
 */
class ControllerSurgeTest {

    static final long SHORT_MS = 5_000;

    @AfterEach
    void clear() {
        CALLS.clear();
    }

    /** One report period: preprocess with these counts and busy share, the other stages calm. */
    static PipelineContext shortWindow(long end, long arrivals, long completions, double busy, long queue) {
        PipelineSpec spec = spec();
        List<Allocation> allocs = List.of(Fixtures.alloc(2), Fixtures.alloc(1), Fixtures.alloc(1));
        long start = end - SHORT_MS;
        List<StageWindow> stages = List.of(
                new StageWindow("imgcls", "preprocess", StageKind.CPU, start, end, 2, allocs.get(0), arrivals, completions,
                        queue, queue, busy, 0.3, 0, 20, 50, Double.NaN, 0),
                new StageWindow("imgcls", "inference", StageKind.GPU, start, end, 1, allocs.get(1), completions,
                        completions, 0, 0, 0.2, 0.3, 0.3, 10, 20, Double.NaN, 0),
                new StageWindow("imgcls", "postprocess", StageKind.CPU, start, end, 1, allocs.get(2), completions,
                        completions, 0, 0, 0.2, 0.3, 0, 2, 4, 90, completions));
        return new PipelineContext(spec.name(), end, stages, List.of(), 90, spec.slaP99Ms(), arrivals * 1000.0 / SHORT_MS,
                CostModel.billable(spec, allocs), CostModel.effective(spec, allocs), CostModel.maxEffective(spec));
    }

    /** 200/s arrive where two replicas complete 60/s, 700 waiting. */
    static PipelineContext overloaded(long end) {
        return shortWindow(end, 1000, 300, 1.0, 700);
    }

    static PipelineContext calm(long end) {
        return shortWindow(end, 100, 100, 0.3, 0);
    }

    static StreamRecord<ControllerInput> surgeInput(PipelineContext c) {
        return new StreamRecord<>(ControllerInput.surge(c.stages()));
    }

    static ControllerState stored(KeyedTwoInputStreamOperatorTestHarness<String, ?, ?, ?> h) throws Exception {
        AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) h.getOperator();
        op.setCurrentKey(spec().name());
        return op.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, ControllerOperator.STATE)
                .value();
    }

    @Test
    void anOverloadedShortWindowIsASurgeDecisionACalmOrStaleOneIsNot() throws Exception {
        long round = 2 * Fixtures.WINDOW_MS;
        try (var h = harness(null)) {
            start(h, null);
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            assertThat(decisions(h)).singleElement().extracting(ScalingDecision::selector).isEqualTo(Selector.BUILTIN);

            h.processElement1(surgeInput(calm(round + SHORT_MS)));
            h.processElement1(surgeInput(overloaded(round)));
            assertThat(decisions(h)).as("calm, and not newer than the round").hasSize(1);

            h.processElement1(surgeInput(overloaded(round + 2 * SHORT_MS)));
            assertThat(decisions(h)).hasSize(2);
            assertThat(decisions(h).get(1)).satisfies(d -> {
                assertThat(d.selector()).isEqualTo(Selector.SURGE);
                assertThat(d.windowEnd()).isEqualTo(round + 2 * SHORT_MS);
                assertThat(d.decisionId()).endsWith("/surge");
                // Preprocessing, and the stages after it sized for the backlog it will drain into them.
                assertThat(d.stages()).filteredOn(StageTarget::changes).extracting(StageTarget::stage)
                        .contains("preprocess").doesNotContain("inference");
            });
            assertThat(stored(h).cooldowns().lastSurge("preprocess")).isEqualTo(round + 2 * SHORT_MS);
        }
    }

    @Test
    void aLoadRisingAsALineSurgesBeforeItReachesThePanicMark() throws Exception {
        long round = 2 * Fixtures.WINDOW_MS;
        // Preprocessing completes 146/s fully busy; arrivals rise 101.8 -> 131.6/s over four report periods. The
        // last alone (90 % busy, nothing waiting) is under the panic mark once its noise is taken off.
        long[] arrivals = {509, 547, 585, 658};
        try (var h = harness(null)) {
            start(h, null);
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            h.processElement1(surgeInput(rising(round + 4 * SHORT_MS, arrivals[3])));
            assertThat(decisions(h)).as("the last period alone").hasSize(1);
        }
        try (var h = harness(null)) {
            start(h, null);
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            for (int i = 0; i < arrivals.length; i++) {
                h.processElement1(surgeInput(rising(round + (i + 1) * SHORT_MS, arrivals[i])));
                assertThat(decisions(h)).as("period %d", i + 1).hasSize(i < 3 ? 1 : 2);
            }
            assertThat(decisions(h).get(1).selector()).isEqualTo(Selector.SURGE);
            assertThat(decisions(h).get(1).windowEnd()).isEqualTo(round + 4 * SHORT_MS);
        }
    }

    /** Preprocessing serving all that arrives, as busy as 146/s fully busy makes it. */
    static PipelineContext rising(long end, long arrivals) {
        return shortWindow(end, arrivals, arrivals, arrivals / (146.0 * SHORT_MS / 1000), 0);
    }

    @Test
    void aSurgeWhileTheLlmIsAskedKeepsItsMarksWhenTheRoundsAnswerComes() throws Exception {
        long round = 2 * Fixtures.WINDOW_MS;
        long surgeAt = round + SHORT_MS;
        try (var h = harness(new ControllerOperatorTest.TestingLlmFactory("openai"))) {
            start(h, null);
            h.processElement1(new StreamRecord<>(ControllerInput.round(context(2))));
            assertThat(CALLS).hasSize(1);

            h.processElement1(surgeInput(overloaded(surgeAt)));
            assertThat(decisions(h)).as("the surge does not wait for the round").singleElement()
                    .extracting(ScalingDecision::selector).isEqualTo(Selector.SURGE);

            CALLS.take().complete(ANSWER);
            runMailbox(h);
            assertThat(decisions(h)).hasSize(2);
            assertThat(decisions(h).get(1)).satisfies(d -> {
                assertThat(d.selector()).isEqualTo(Selector.LLM);
                assertThat(d.windowEnd()).isEqualTo(round);
            });
            ControllerState s = stored(h);
            assertThat(s.lastWindowEnd()).as("the round was decided").isEqualTo(round);
            assertThat(s.pending().windowEnd()).isEqualTo(round);
            assertThat(s.cooldowns().lastSurge("preprocess")).as("the surge's hold outlives the answer").isEqualTo(surgeAt);
            assertThat(s.loadPeak().atMs()).as("and its peak").isEqualTo(surgeAt);
            assertThat(s.loadPeak().rate()).isEqualTo(200.0);
        }
    }
}
