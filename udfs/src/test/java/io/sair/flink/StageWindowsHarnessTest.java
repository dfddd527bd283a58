package io.sair.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import io.sair.core.window.StageFolds;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * StageWindows in Flink's keyed harness: a round window is folded once when the watermark passes it, each pane
 * before it once as a short window, a checkpoint and restore in the middle of a window loses no report and
 * folds no pane twice, a report whose window has closed is a late report, and a savepoint of the former
 * window operator hands over its open windows. Nothing is left in state once the windows have closed.
 */
class StageWindowsHarnessTest {

    static final long T0 = AbsurdReportTest.T0;
    static final long ROUND_MS = 30_000;
    static final long PANE_MS = 5_000;

    private static <O> KeyedOneInputStreamOperatorTestHarness<String, StageMetrics, O> harness(
            OneInputStreamOperator<StageMetrics, O> op, OperatorSubtaskState restoreFrom) throws Exception {
        return harness(op, restoreFrom, false);
    }

    /** @param rocksDb on the job's state backend (the default harness keeps state on the heap) */
    private static <O> KeyedOneInputStreamOperatorTestHarness<String, StageMetrics, O> harness(
            OneInputStreamOperator<StageMetrics, O> op, OperatorSubtaskState restoreFrom, boolean rocksDb)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(op, StageMetrics::pipeline, Types.STRING);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, StageMetrics, RoundWindows> harness(
            OperatorSubtaskState restoreFrom) throws Exception {
        return harness(new StageWindows(ROUND_MS, PANE_MS, false), restoreFrom);
    }

    private static void report(KeyedOneInputStreamOperatorTestHarness<String, StageMetrics, ?> h, String stage, long ts)
            throws Exception {
        h.processElement(new StreamRecord<>(AbsurdReportTest.report(stage, ts, 100, 0.5), ts));
    }

    /** The rounds' stage windows, in order (each round is one record of them). */
    private static List<StageWindow> rounds(KeyedOneInputStreamOperatorTestHarness<String, StageMetrics, RoundWindows> h) {
        return h.extractOutputValues().stream().flatMap(r -> r.stages().stream()).toList();
    }

    private static List<ControllerInput> shortWindows(KeyedOneInputStreamOperatorTestHarness<String, StageMetrics, ?> h) {
        var out = h.getSideOutput(StageWindows.SHORT_WINDOWS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    private static List<StageMetrics> late(KeyedOneInputStreamOperatorTestHarness<String, StageMetrics, ?> h) {
        var out = h.getSideOutput(LateReports.TAG);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aRoundIsFoldedOnceAndEachPaneBeforeItOnce() throws Exception {
        try (var h = harness(null)) {
            for (String stage : List.of("preprocess", "inference", "postprocess")) {
                report(h, stage, T0 + 1_000);
                report(h, stage, T0 + 26_000);
            }
            h.processWatermark(new Watermark(T0 + PANE_MS - 1));
            assertThat(shortWindows(h)).singleElement().satisfies(c -> {
                assertThat(c.pipeline()).isEqualTo("imgcls");
                assertThat(c.shortWindow()).extracting(StageWindow::windowEnd).containsOnly(T0 + PANE_MS);
                assertThat(c.shortWindow()).extracting(StageWindow::reports).containsOnly(1);
            });
            assertThat(rounds(h)).isEmpty();

            h.processWatermark(new Watermark(T0 + ROUND_MS - 1));
            h.processWatermark(new Watermark(T0 + 3 * ROUND_MS));

            // The pane that ends with the round is the round's: no short window for it.
            assertThat(shortWindows(h)).hasSize(1);
            assertThat(rounds(h)).extracting(StageWindow::stage).containsExactly("preprocess", "inference", "postprocess");
            assertThat(h.extractOutputValues()).as("the round's stage windows in one record").singleElement()
                    .satisfies(r -> assertThat(r.windowEnd()).isEqualTo(T0 + ROUND_MS));
            assertThat(rounds(h)).allSatisfy(w -> {
                assertThat(w.windowStart()).isEqualTo(T0);
                assertThat(w.windowEnd()).isEqualTo(T0 + ROUND_MS);
                assertThat(w.reports()).isEqualTo(2);
            });
            assertThat(late(h)).isEmpty();
            h.snapshot(1, 1);
            assertThat(h.numKeyedStateEntries()).as("keyed state once every window closed").isZero();
        }
    }

    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void aCheckpointInTheMiddleOfAWindowLosesNothingAndFoldsNoPaneTwice(boolean rocksDb) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(new StageWindows(ROUND_MS, PANE_MS, false), null, rocksDb)) {
            report(h, "preprocess", T0 + 1_000);
            report(h, "inference", T0 + 2_000);
            h.processWatermark(new Watermark(T0 + PANE_MS - 1));
            report(h, "preprocess", T0 + 7_000);
            assertThat(shortWindows(h)).hasSize(1);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(new StageWindows(ROUND_MS, PANE_MS, false), snapshot, rocksDb)) {
            report(h, "inference", T0 + 8_000);
            h.processWatermark(new Watermark(T0 + ROUND_MS - 1));

            assertThat(shortWindows(h)).as("only the pane that had not closed at the checkpoint")
                    .extracting(c -> c.shortWindow().get(0).windowEnd()).containsExactly(T0 + 2 * PANE_MS);
            assertThat(shortWindows(h).get(0).shortWindow()).extracting(StageWindow::stage)
                    .containsExactly("preprocess", "inference");
            assertThat(rounds(h)).extracting(StageWindow::stage, StageWindow::reports)
                    .containsExactly(tuple("preprocess", 2),
                            tuple("inference", 2));
            h.snapshot(2, 2);
            if (!rocksDb) { // (the harness counts entries on the heap backend only)
                assertThat(h.numKeyedStateEntries()).isZero();
            }
        }
    }

    @Test
    void aReportWhoseRoundHasClosedIsLateAndOneWhosePaneHasClosedCountsInItsRound() throws Exception {
        try (var h = harness(null)) {
            report(h, "preprocess", T0 + 1_000);
            h.processWatermark(new Watermark(T0 + ROUND_MS - 1));
            report(h, "preprocess", T0 + 2_000); // its round has fired: late
            report(h, "preprocess", T0 + ROUND_MS + 1_000);
            h.processWatermark(new Watermark(T0 + ROUND_MS + PANE_MS - 1));
            report(h, "preprocess", T0 + ROUND_MS + 2_000); // its pane has closed, its round has not
            h.processWatermark(new Watermark(T0 + 2 * ROUND_MS - 1));

            assertThat(late(h)).extracting(StageMetrics::ts).containsExactly(T0 + 2_000);
            assertThat(rounds(h)).extracting(StageWindow::windowEnd, StageWindow::reports).containsExactly(
                    tuple(T0 + ROUND_MS, 1),
                    tuple(T0 + 2 * ROUND_MS, 2));
            // The pane [+30 s, +35 s) closed with one report; the one after it counts in the round only.
            assertThat(shortWindows(h)).extracting(c -> c.shortWindow().get(0).windowEnd(), c -> c.shortWindow().get(0).reports())
                    .containsExactly(tuple(T0 + PANE_MS, 1),
                            tuple(T0 + ROUND_MS + PANE_MS, 1));
        }
    }

    @Test
    void withoutPanesOnlyRoundsAreFolded() throws Exception {
        try (var h = harness(new StageWindows(ROUND_MS, ROUND_MS, false), null)) {
            report(h, "preprocess", T0 + 1_000);
            report(h, "preprocess", T0 + 12_000);
            h.processWatermark(new Watermark(T0 + ROUND_MS - 1));
            assertThat(shortWindows(h)).isEmpty();
            assertThat(rounds(h)).singleElement().satisfies(w -> assertThat(w.reports()).isEqualTo(2));
        }
    }

    /** The window operator of state layout v2 under the same uid: list state of the reports per window. */
    private static OneInputStreamOperator<StageMetrics, StageWindow> formerWindowOperator() {
        return new WindowOperatorBuilder<>(TumblingEventTimeWindows.of(Duration.ofMillis(ROUND_MS)), EventTimeTrigger.create(),
                new ExecutionConfig(), TypeInformation.of(StageMetrics.class), StageMetrics::pipeline, Types.STRING)
                .process(new ProcessWindowFunction<StageMetrics, StageWindow, String, TimeWindow>() {
                    @Override
                    public void process(String key, Context ctx, Iterable<StageMetrics> in, Collector<StageWindow> out) {
                        new StageFolds().fold(in, ctx.window().getStart(), ctx.window().getEnd()).forEach(out::collect);
                    }
                });
    }

    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void theOpenWindowsOfTheFormerWindowOperatorAreTakenOver(boolean rocksDb) throws Exception {
        OperatorSubtaskState snapshot;
        try (var former = harness(formerWindowOperator(), null, rocksDb)) {
            report(former, "preprocess", T0 + 1_000);
            report(former, "preprocess", T0 + ROUND_MS + 1_000);
            snapshot = former.snapshot(1, 1);
        }
        try (var h = harness(new StageWindows(ROUND_MS, PANE_MS, false), snapshot, rocksDb)) {
            assertThat(h.numEventTimeTimers()).as("the former window timers").isZero();
            report(h, "preprocess", T0 + 2_000);
            h.processWatermark(new Watermark(T0 + 2 * ROUND_MS - 1));

            assertThat(rounds(h)).extracting(StageWindow::windowEnd, StageWindow::reports).containsExactly(
                    tuple(T0 + ROUND_MS, 2),
                    tuple(T0 + 2 * ROUND_MS, 1));
            h.snapshot(2, 2);
            if (!rocksDb) { // (the harness counts entries on the heap backend only)
                assertThat(h.numKeyedStateEntries()).isZero();
            }
        }
    }
}
