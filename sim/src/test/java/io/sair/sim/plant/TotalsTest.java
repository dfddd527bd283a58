package io.sair.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.sim.TestPipelines;
import io.sair.sim.TestingWorkload;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TotalsTest {

    private static PipelinePlant plant(int requests) {
        Allocation a = new Allocation(1, 1000, 1024, 1.0);
        PipelineSpec spec = TestPipelines.single("s", StageKind.CPU, a, 1e9);
        StageModel m = StageModel.cpu("s", 10, 0, 1.0, 1, 0, 0, 0, 1_000);
        return new PipelinePlant(spec, List.of(m), TestingWorkload.every(100, requests), PlantOptions.defaults());
    }

    @Test
    void beforeTheEndTheEndIsNowAndTheSpendAtTheEndIsTheSpendSoFar() {
        PipelinePlant plant = plant(100);
        plant.advance(5_000);
        Totals t = plant.totals();
        assertThat(plant.finished()).isFalse();
        assertThat(t.endMs()).isEqualTo(5_000.0);
        assertThat(t.firstArrivalMs()).isEqualTo(100.0);
        assertThat(t.spentAtEnd()).isEqualTo(t.spent());
        assertThat(t.spent().podMs()).isEqualTo(5_000.0); // one pod, integrated up to the report at 5 s
    }

    @Test
    void afterTheEndTheEndAndItsSpendStayWhileTheSpendSoFarRunsOn() {
        PipelinePlant plant = plant(10);
        plant.advance(60_000);
        assertThat(plant.finished()).isTrue();
        Totals t = plant.totals();
        // The 10th request arrives at 1,000 ms and is served in 10 ms.
        assertThat(t.endMs()).isEqualTo(1_010.0);
        assertThat(t.lastCompletionMs()).isEqualTo(1_010.0);
        assertThat(t.spentAtEnd().podMs()).isEqualTo(1_010.0);
        assertThat(t.spent().podMs()).isEqualTo(60_000.0);
        assertThat(t.spent().billableDollars()).isGreaterThan(t.spentAtEnd().billableDollars());
        assertThat(t.completed()).isEqualTo(10);
        assertThat(t.e2eMicros().getTotalCount()).isEqualTo(10);
    }

    @Test
    void withNothingArrivedTheFirstArrivalIsZero() {
        PipelinePlant plant = plant(0);
        plant.advance(1_000);
        assertThat(plant.totals().firstArrivalMs()).isZero();
        assertThat(plant.totals().endMs()).isEqualTo(1_000.0);
    }

    @Test
    void aReadTotalsDoesNotChangeAsTheRunGoesOn() {
        PipelinePlant plant = plant(100);
        plant.advance(2_000);
        Totals t = plant.totals();
        long seen = t.e2eMicros().getTotalCount();
        plant.advance(20_000);
        assertThat(t.e2eMicros().getTotalCount()).isEqualTo(seen);
        assertThat(plant.totals().e2eMicros().getTotalCount()).isGreaterThan(seen);
    }

    @Test
    void refusesCountsThatCannotBe() {
        Totals.Spend s = new Totals.Spend(0, 0, 0);
        assertThatThrownBy(() -> new Totals(new Histogram(3), 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, s, s))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Totals(new Histogram(3), 5, 0, 1, 0, 0, 2, 0, 0, 0, 0, s, s))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
