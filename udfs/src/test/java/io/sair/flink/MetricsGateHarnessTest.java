package io.sair.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Json;
import io.sair.core.model.StageMetrics;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.sair.core.time.EventWindows;
import org.junit.jupiter.api.Test;

/**
 * MetricsGate in Flink's keyed two-input operator harness: records pass, wait for their spec or are
 * dead-lettered with a reason, the output watermark is held below what waits, and once a record has gone
 * (through or to the dead letters) and its timers have fired, no keyed state and no timer is left.
 */
class MetricsGateHarnessTest {

    static final long T0 = AbsurdReportTest.T0;
    static final long WINDOW_MS = 30_000;
    static final long PENDING_MS = 60_000;
    static final long MAX_AHEAD_MS = 300_000;

    private KeyedTwoInputStreamOperatorTestHarness<String, MetricEnvelope, SpecChange, StageMetrics> h;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        h = new KeyedTwoInputStreamOperatorTestHarness<>(new MetricsGate(PENDING_MS, 3, WINDOW_MS, false, MAX_AHEAD_MS),
                MetricEnvelope::pipelineKey, null, Types.STRING);
        h.setProcessingTime(T0);
        h.open();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    /** The pipelines whose spec was installed: each is kept in keyed state ({@link KeyedSpecs}), the one subtask's own. */
    private final java.util.Set<String> specsInstalled = new java.util.HashSet<>();

    private void installSpec() throws Exception {
        h.processElement2(new StreamRecord<>(new SpecChange("imgcls", AbsurdReportTest.SPEC, null, null)));
        specsInstalled.add("imgcls");
    }

    private void report(String stage, long ts) throws Exception {
        StageMetrics m = AbsurdReportTest.report(stage, ts, 100, 0.5);
        RawRecord raw = new RawRecord("sair.metrics", 0, offset++, ts, null, Json.write(m));
        h.processElement1(new StreamRecord<>(new MetricEnvelope(m, null, raw), ts));
    }

    private List<String> deadLetters() {
        return h.getSideOutput(Specs.DEAD_LETTERS) == null ? List.of()
                : h.getSideOutput(Specs.DEAD_LETTERS).stream().map(r -> r.getValue().reason()).toList();
    }

    private long lastWatermark() {
        return h.getOutput().stream().filter(o -> o instanceof Watermark).mapToLong(o -> ((Watermark) o).getTimestamp())
                .max().orElse(Long.MIN_VALUE);
    }

    /** Its spec comes: the waiting report (ts T0 + 5 s) is released, and by {@code later} nothing was dead-lettered or is left. */
    private void releasedOnItsSpecAndNothingDeadLettered(long later) throws Exception {
        installSpec();
        assertThat(h.extractOutputValues()).extracting(StageMetrics::ts).containsExactly(T0 + 5_000);
        h.setProcessingTime(later);
        h.processBothWatermarks(new Watermark(T0 + MAX_AHEAD_MS));
        assertThat(deadLetters()).isEmpty();
        assertNothingLeft();
    }

    private void assertNothingLeft() {
        assertThat(h.numKeyedStateEntries()).as("keyed state entries besides the specs").isEqualTo(specsInstalled.size());
        assertThat(h.numProcessingTimeTimers()).as("processing-time timers").isZero();
        assertThat(h.numEventTimeTimers()).as("event-time timers").isZero();
    }

    @Test
    void aReportOfAKnownPipelinePassesAndLeavesNothing() throws Exception {
        installSpec();
        h.processBothWatermarks(new Watermark(T0));

        report("preprocess", T0 + 5_000);

        assertThat(h.extractOutputValues()).extracting(StageMetrics::ts).containsExactly(T0 + 5_000);
        assertThat(deadLetters()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void aReportWaitsForItsSpecHoldingTheWatermarkAndGoesWhenItComes() throws Exception {
        h.processBothWatermarks(new Watermark(T0));
        report("preprocess", T0 + 5_000);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isEqualTo(2); // pending-metrics and pending-count
        assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

        h.processBothWatermarks(new Watermark(T0 + 20_000));
        assertThat(lastWatermark()).as("held below the waiting report").isEqualTo(T0 + 5_000 - 1);

        installSpec();

        assertThat(h.extractOutputValues()).extracting(StageMetrics::ts).containsExactly(T0 + 5_000);
        assertThat(lastWatermark()).isEqualTo(T0 + 20_000);
        assertThat(h.numKeyedStateEntries()).as("the spec alone").isEqualTo(1);
        // The wait's timers run out and find nothing left to do.
        h.setProcessingTime(T0 + PENDING_MS);
        h.processBothWatermarks(new Watermark(T0 + MAX_AHEAD_MS));
        assertThat(h.extractOutputValues()).hasSize(1);
        assertThat(deadLetters()).isEmpty();
        assertNothingLeft();
    }

    private void installOtherSpec() throws Exception {
        h.processElement2(new StreamRecord<>(new SpecChange("other", AbsurdReportTest.SPEC, null, null)));
        specsInstalled.add("other");
    }

    @Test
    void aReportWhoseSpecNeverComesIsDeadLetteredWhenTheWaitEnds() throws Exception {
        installOtherSpec();
        h.processBothWatermarks(new Watermark(T0));
        report("preprocess", T0 + 5_000);

        h.setProcessingTime(T0 + PENDING_MS);
        h.processBothWatermarks(new Watermark(T0 + MAX_AHEAD_MS));

        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).singleElement().asString().startsWith("unknown pipeline: no spec for 'imgcls'")
                // What the subtask knew, so that an operator (or a failed test) can tell why.
                .contains("this subtask holds the specs of 1 pipeline; the first spec change it got came ");
        assertNothingLeft();
    }

    @Test
    void beforeTheSpecsInputHasDeliveredAnythingTheWaitDoesNotRunOut() throws Exception {
        h.processBothWatermarks(new Watermark(T0));
        report("preprocess", T0 + 5_000);

        h.setProcessingTime(T0 + 3 * PENDING_MS); // the specs reader started late
        assertThat(deadLetters()).isEmpty();
        releasedOnItsSpecAndNothingDeadLettered(T0 + 5 * PENDING_MS);
    }

    @Test
    void aReportWaitingWhenTheSpecsInputGoesLiveGetsItsWholeWaitFromThen() throws Exception {
        h.processBothWatermarks(new Watermark(T0));
        report("preprocess", T0 + 5_000);
        h.setProcessingTime(T0 + 3 * PENDING_MS); // the wait ran out while no spec had come: it waits on
        // The specs come one record at a time, another pipeline's first; the report's overdue timer fires before
        // its own spec arrives.
        h.setProcessingTime(T0 + 4 * PENDING_MS - 1);
        installOtherSpec();
        h.setProcessingTime(T0 + 4 * PENDING_MS);
        assertThat(deadLetters()).isEmpty();
        releasedOnItsSpecAndNothingDeadLettered(T0 + 6 * PENDING_MS);
    }

    @Test
    void aWaitCutShortByTheSpecsInputGoingLiveEndsAWholeWaitAfterIt() throws Exception {
        h.processBothWatermarks(new Watermark(T0));
        report("preprocess", T0 + 5_000);
        h.setProcessingTime(T0 + PENDING_MS / 2);
        installOtherSpec(); // live from here; the report's own spec never comes
        h.setProcessingTime(T0 + PENDING_MS);
        assertThat(deadLetters()).as("half a wait since the specs input went live").isEmpty();
        h.setProcessingTime(T0 + PENDING_MS + PENDING_MS / 2);
        assertThat(deadLetters()).singleElement().asString().startsWith("unknown pipeline: no spec for 'imgcls'");
        h.processBothWatermarks(new Watermark(T0 + MAX_AHEAD_MS));
        assertNothingLeft();
    }

    @Test
    void aLateReportIsDeadLetteredWithoutState() throws Exception {
        installSpec();
        h.processBothWatermarks(new Watermark(T0 + 2 * WINDOW_MS));

        report("preprocess", T0 + 5_000);

        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).singleElement().asString().startsWith("late: the window of ts=" + (T0 + 5_000));
        assertNothingLeft();
    }

    @Test
    void staggeredALateReportIsOneWhosePipelinesOwnWindowHasClosed() throws Exception {
        h.close();
        h = new KeyedTwoInputStreamOperatorTestHarness<>(new MetricsGate(PENDING_MS, 3, WINDOW_MS, true, MAX_AHEAD_MS),
                MetricEnvelope::pipelineKey, null, Types.STRING);
        h.setProcessingTime(T0);
        h.open();
        long start = T0 + EventWindows.offset("imgcls", WINDOW_MS, true); // imgcls's window: [start, start + 30 s)
        assertThat(start).isGreaterThan(T0);
        installSpec();
        h.processBothWatermarks(new Watermark(T0 + WINDOW_MS - 1)); // the window at the epoch has closed

        report("preprocess", start);
        report("preprocess", start - 1);

        assertThat(h.extractOutputValues()).extracting(StageMetrics::ts).containsExactly(start);
        assertThat(deadLetters()).singleElement().asString().startsWith("late: the window of ts=" + (start - 1));
    }

    @Test
    void beyondMaxPendingReportsAreDeadLetteredAtOnce() throws Exception {
        installOtherSpec();
        h.processBothWatermarks(new Watermark(T0));
        for (int i = 1; i <= 4; i++) {
            report("preprocess", T0 + 1_000L * i);
        }

        assertThat(deadLetters()).singleElement().asString().contains("3 records already wait for one");
        installSpec();
        assertThat(h.extractOutputValues()).hasSize(3);
        h.setProcessingTime(T0 + PENDING_MS);
        h.processBothWatermarks(new Watermark(T0 + MAX_AHEAD_MS));
        assertNothingLeft();
    }
}
