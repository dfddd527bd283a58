package io.sair.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventWindowsTest {

    static final long T = 1_767_225_600_000L; // a multiple of 30 s
    static final long W = 30_000;

    @Test
    void windowsAreAlignedToTheEpochLikeFlinksTumblingWindows() {
        assertThat(EventWindows.start(T, W)).isEqualTo(T);
        assertThat(EventWindows.start(T + W - 1, W)).isEqualTo(T);
        assertThat(EventWindows.maxTimestamp(T + 1, W)).isEqualTo(T + W - 1);
        assertThat(EventWindows.start(-1, W)).isEqualTo(-W);
    }

    @Test
    void windowsAtAnOffsetStartThatFarPastTheEpochsGrid() {
        assertThat(EventWindows.start(T, W, 7_000)).isEqualTo(T - W + 7_000);
        assertThat(EventWindows.start(T + 7_000, W, 7_000)).isEqualTo(T + 7_000);
        assertThat(EventWindows.start(T + 7_000 + W - 1, W, 7_000)).isEqualTo(T + 7_000);
        assertThat(EventWindows.late(T + 7_000, W, 7_000, T + 7_000 + W - 2)).isFalse();
        assertThat(EventWindows.late(T + 7_000, W, 7_000, T + 7_000 + W - 1)).isTrue();
        assertThat(EventWindows.late(T + 6_999, W, 7_000, T + 6_999)).isTrue();
    }

    @Test
    void aReportIsLateOnceTheWatermarkReachesItsWindowsLastMillisecond() {
        assertThat(EventWindows.late(T, W, T + W - 2)).isFalse();
        assertThat(EventWindows.late(T, W, T + W - 1)).isTrue();
        assertThat(EventWindows.late(T, W, Long.MIN_VALUE)).isFalse();
    }

    @Test
    void aheadIsMeasuredAgainstTheClockAndTheWatermarkWhicheverIsFurther() {
        long now = T + 3600_000;
        assertThat(EventWindows.ahead(T, Long.MIN_VALUE, now)).isZero();
        assertThat(EventWindows.ahead(now + 10_000, Long.MIN_VALUE, now)).isEqualTo(10_000);
        assertThat(EventWindows.ahead(T + 60_000, T, now)).isEqualTo(60_000);
        assertThat(EventWindows.ahead(T - 60_000, T, now)).isZero();
        assertThat(EventWindows.ahead(Long.MIN_VALUE + 1, T, now)).isZero();
    }
}
