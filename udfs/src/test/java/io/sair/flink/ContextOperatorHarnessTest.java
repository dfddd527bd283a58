package io.sair.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.Fixtures;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageWindow;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ContextOperator in Flink's keyed two-input operator harness: a complete window is emitted at once, an
 * incomplete one when its grace timer fires, and after either no stage window and no timer is left behind.
 */
class ContextOperatorHarnessTest {

    static final long GRACE_MS = 10_000;
    static final long W = 1_767_225_630_000L;

    private KeyedTwoInputStreamOperatorTestHarness<String, RoundWindows, SpecChange, PipelineContext> h;

    @BeforeEach
    void open() throws Exception {
        h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new ContextOperator(GRACE_MS),
                RoundWindows::pipeline, null, Types.STRING);
        h.open();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    /** Whether the pipeline's spec is installed: it is kept in keyed state beside the windows ({@link KeyedSpecs}). */
    private boolean specHeld;

    private void installSpec() throws Exception {
        h.processElement2(new StreamRecord<>(new SpecChange("imgcls", Fixtures.spec(), null, null)));
        specHeld = true;
    }

    private void removeSpec() throws Exception {
        h.processElement2(new StreamRecord<>(new SpecChange("imgcls", null, null, null)));
        specHeld = false;
    }

    /** The keyed state entries of the rounds' stage windows (the spec's aside). */
    private int windowEntries() {
        return h.numKeyedStateEntries() - (specHeld ? 1 : 0);
    }

    /** One stage's window on its own (as windows an older savepoint held open are folded). */
    private void window(String stage, StageKind kind, long windowEnd) throws Exception {
        h.processElement1(new StreamRecord<>(RoundWindows.of(List.of(stage(stage, kind, windowEnd))), windowEnd - 1));
    }

    private static StageWindow stage(String stage, StageKind kind, long windowEnd) {
        return Fixtures.stage(stage, kind, windowEnd, Fixtures.alloc(1), 0.5, 0, 0);
    }

    @Test
    void aWholeRoundInOneRecordIsAssembledWithoutStateOrTimer() throws Exception {
        installSpec();
        h.processElement1(new StreamRecord<>(RoundWindows.of(List.of(stage("preprocess", StageKind.CPU, W),
                stage("inference", StageKind.GPU, W), stage("postprocess", StageKind.CPU, W))), W - 1));

        assertOneWholeContextAndNothingKept();
    }

    /** The window's context with all three stages went out, and neither state nor a timer is left. */
    private void assertOneWholeContextAndNothingKept() {
        assertThat(h.extractOutputValues()).singleElement().satisfies(c -> {
            assertThat(c.pipeline()).isEqualTo("imgcls");
            assertThat(c.windowEnd()).isEqualTo(W);
            assertThat(c.stages()).extracting(StageWindow::stage).containsExactly("preprocess", "inference", "postprocess");
            assertThat(c.missing()).isEmpty();
        });
        assertThat(windowEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aRoundWithAStageMissingWaitsForItsGrace() throws Exception {
        installSpec();
        h.processElement1(new StreamRecord<>(RoundWindows.of(List.of(stage("preprocess", StageKind.CPU, W),
                stage("inference", StageKind.GPU, W))), W - 1));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        h.processBothWatermarks(new Watermark(W + GRACE_MS));
        assertThat(h.extractOutputValues()).singleElement().satisfies(c -> assertThat(c.missing())
                .containsExactly("postprocess"));
        assertThat(windowEntries()).isZero();
    }

    @Test
    void aCompleteWindowIsEmittedAtOnceAndLeavesNoStateNorTimer() throws Exception {
        installSpec();
        window("preprocess", StageKind.CPU, W);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(windowEntries()).isEqualTo(1);
        window("inference", StageKind.GPU, W);
        assertThat(h.extractOutputValues()).isEmpty();

        window("postprocess", StageKind.CPU, W);

        assertOneWholeContextAndNothingKept();
    }

    @Test
    void anIncompleteWindowIsEmittedWhenItsGraceEndsWithTheMissingStagesNamed() throws Exception {
        installSpec();
        window("preprocess", StageKind.CPU, W);
        window("inference", StageKind.GPU, W);

        h.processBothWatermarks(new Watermark(W + GRACE_MS - 1));
        assertThat(h.extractOutputValues()).isEmpty();
        h.processBothWatermarks(new Watermark(W + GRACE_MS));

        assertThat(h.extractOutputValues()).singleElement().satisfies(c -> {
            assertThat(c.windowEnd()).isEqualTo(W);
            assertThat(c.stages()).extracting(StageWindow::stage).containsExactly("preprocess", "inference");
            assertThat(c.missing()).containsExactly("postprocess");
        });
        assertThat(windowEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aRoundThatComesBeforeItsSpecWaitsForIt() throws Exception {
        // The gate had the spec; this step's broadcast channel brings it later.
        h.processElement1(new StreamRecord<>(RoundWindows.of(List.of(stage("preprocess", StageKind.CPU, W),
                stage("inference", StageKind.GPU, W), stage("postprocess", StageKind.CPU, W))), W - 1));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(windowEntries()).isEqualTo(1);

        installSpec();
        assertThat(h.extractOutputValues()).singleElement().satisfies(c -> {
            assertThat(c.windowEnd()).isEqualTo(W);
            assertThat(c.missing()).isEmpty();
        });
        assertThat(windowEntries()).isZero();
        h.processBothWatermarks(new Watermark(W + GRACE_MS));
        assertThat(h.extractOutputValues()).hasSize(1);
    }

    @Test
    void aRoundWithAStageMissingWhoseGracePassedBeforeItsSpecGoesOutWhenTheSpecComes() throws Exception {
        window("preprocess", StageKind.CPU, W);
        window("inference", StageKind.GPU, W);
        h.processBothWatermarks(new Watermark(W + GRACE_MS));
        assertThat(h.extractOutputValues()).isEmpty();

        installSpec();
        assertThat(h.extractOutputValues()).singleElement().satisfies(c -> assertThat(c.missing())
                .containsExactly("postprocess"));
        assertThat(windowEntries()).isZero();
    }

    @Test
    void roundsOfAPipelineRemovedBeforeItsSpecCameAreDropped() throws Exception {
        window("preprocess", StageKind.CPU, W);
        removeSpec();

        assertThat(windowEntries()).isZero();
        installSpec();
        h.processBothWatermarks(new Watermark(W + GRACE_MS));
        assertThat(h.extractOutputValues()).isEmpty();
    }

    @Test
    void removingThePipelineDropsItsWindowsAndItsTimerThenEmitsNothing() throws Exception {
        installSpec();
        window("preprocess", StageKind.CPU, W);
        assertThat(windowEntries()).isEqualTo(1);

        removeSpec();
        assertThat(windowEntries()).isZero();
        h.processBothWatermarks(new Watermark(W + GRACE_MS));

        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(windowEntries()).isZero();
    }

    @Test
    void laterWindowsWaitWhileAnEarlierOneIsEmitted() throws Exception {
        installSpec();
        window("preprocess", StageKind.CPU, W);
        window("preprocess", StageKind.CPU, W + Fixtures.WINDOW_MS);
        assertThat(h.numEventTimeTimers()).isEqualTo(2);

        h.processBothWatermarks(new Watermark(W + GRACE_MS));

        assertThat(h.extractOutputValues()).extracting(PipelineContext::windowEnd).containsExactly(W);
        assertThat(windowEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        h.processBothWatermarks(new Watermark(W + Fixtures.WINDOW_MS + GRACE_MS));
        assertThat(h.extractOutputValues()).extracting(PipelineContext::windowEnd)
                .containsExactly(W, W + Fixtures.WINDOW_MS);
        assertThat(windowEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
