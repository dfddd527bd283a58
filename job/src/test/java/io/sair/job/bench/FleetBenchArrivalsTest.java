package io.sair.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class FleetBenchArrivalsTest {

    @Test
    void splitsTheDecisionsThatArrivedWhileACheckpointRanFromTheOthers() {
        FleetBench.Arrivals a = new FleetBench.Arrivals();
        for (int i = 0; i < 10_000; i++) {
            // Arrivals every 10 ms; the late ones (900 ms) only within the two checkpoints' spans.
            long t = 1_000_000L + i * 10L;
            boolean during = t >= 1_020_000 && t <= 1_021_000 || t >= 1_050_000 && t <= 1_052_000;
            a.add(t, during ? 900 : 200);
        }
        Histogram[] split = a.splitBy(List.of(new long[] {1_020_000, 1_021_000}, new long[] {1_050_000, 1_052_000}));

        assertThat(split[0].getTotalCount()).isEqualTo(101 + 201);
        assertThat(split[0].getValueAtPercentile(99)).isBetween(899L, 901L);
        assertThat(split[1].getTotalCount()).isEqualTo(10_000 - 302);
        assertThat(split[1].getMaxValue()).isBetween(199L, 201L);
    }
}
