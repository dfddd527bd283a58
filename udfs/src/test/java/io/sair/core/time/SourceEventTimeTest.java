package io.sair.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceEventTimeTest {

    static final long T = 1_767_225_600_000L;
    static final long HOURS = 3 * 3600_000L;

    @Test
    void nothingSeenVouchesForNothing() {
        assertThat(new SourceEventTime().time()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void onePipelineWithSeveralSourcesMovesAsItsSourcesAgree() {
        SourceEventTime t = new SourceEventTime();
        t.observe("p", "pre", "pre-0", T);
        t.observe("p", "gpu", "gpu-0", T + 5_000);
        assertThat(t.time()).isEqualTo(T);
        t.observe("p", "pre", "pre-0", T + 5_000);
        assertThat(t.time()).isEqualTo(T + 5_000);
    }

    @Test
    void oneRecordFromTheFutureCannotMoveIt() {
        SourceEventTime t = new SourceEventTime();
        for (long ts = T; ts <= T + 60_000; ts += 5_000) {
            t.observe("p", "pre", "pre-0", ts);
            t.observe("p", "gpu", "gpu-0", ts);
        }
        t.observe("p", "pre", "pre-0", T + HOURS);
        assertThat(t.time()).isEqualTo(T + 60_000);
        // Its pipeline goes on at the right time: the partition's time goes on with it.
        t.observe("p", "gpu", "gpu-0", T + 65_000);
        assertThat(t.time()).isEqualTo(T + 65_000);
    }

    @Test
    void onePipelineWithABadClockCannotMoveAnotherPipelinesTime() {
        SourceEventTime t = new SourceEventTime();
        t.observe("good", "pre", "pre-0", T);
        t.observe("good", "gpu", "gpu-0", T);
        // Every source of the bad pipeline is hours ahead.
        t.observe("bad", "pre", "pre-0", T + HOURS);
        t.observe("bad", "gpu", "gpu-0", T + HOURS);
        assertThat(t.time()).isEqualTo(T);
        t.observe("good", "pre", "pre-0", T + 5_000);
        t.observe("good", "gpu", "gpu-0", T + 5_000);
        assertThat(t.time()).isEqualTo(T + 5_000);
    }

    @Test
    void pipelinesThatJumpTogetherAfterAnOutageMoveIt() {
        SourceEventTime t = new SourceEventTime();
        t.observe("a", "pre", "pre-0", T);
        t.observe("b", "pre", "pre-0", T);
        t.observe("a", "pre", "pre-0", T + HOURS);
        assertThat(t.time()).isEqualTo(T);
        t.observe("b", "pre", "pre-0", T + HOURS);
        assertThat(t.time()).isEqualTo(T + HOURS);
    }

    @Test
    void aPodWithoutANameIsStillASource() {
        SourceEventTime t = new SourceEventTime();
        t.observe("p", "pre", null, T);
        t.observe("p", "gpu", null, T + 1);
        assertThat(t.time()).isEqualTo(T);
    }
}
