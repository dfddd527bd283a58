package io.sair.sim.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sair.core.model.PipelineSpec;
import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.TestingWorkload;
import org.junit.jupiter.api.Test;

class HindsightTest {

    @Test
    void theBoundIsTheCheapestCompletedRequestsWorkOrTheFloorPerStage() {
        AppProfile app = AppProfiles.image();
        PipelineSpec spec = app.spec();
        // Four images of sizes 3, 1, 2, 0.5 within 4 ms: the work outweighs the pods' floor, except the GPU's.
        double[] sizes = {3, 1, 2, 0.5};
        Hindsight h = Hindsight.of(spec, app.models(), TestingWorkload.of(new double[] {1, 2, 3, 4}, sizes));
        double all = 0;
        double twoCheapest = 0;
        for (int i = 0; i < 3; i++) {
            var s = spec.stages().get(i);
            var m = app.models().get(i);
            double per = WorkBounds.cheapestDollarsPerRawMs(s, m, spec.prices());
            double work = 0;
            for (double u : sizes) {
                work += WorkBounds.minRawMs(m, u, 0) * per;
            }
            // The two smallest images: 0.5 and 1.
            double two = (WorkBounds.minRawMs(m, 0.5, 0) + WorkBounds.minRawMs(m, 1, 0)) * per;
            double floor = WorkBounds.floorDollarsPerMs(s, spec.prices()) * 4;
            all += Math.max(work, floor);
            twoCheapest += Math.max(two, floor);
        }
        assertThat(h.fluidBoundDollars(4)).isCloseTo(all, within(1e-15));
        assertThat(h.fluidBoundDollars(2)).isCloseTo(twoCheapest, within(1e-15)).isLessThan(all);
        assertThat(h.fluidBoundPer1k(4)).isCloseTo(all * 250, within(1e-12));
        assertThat(h.arrived()).isEqualTo(4);
        assertThat(h.lastArrivalMs()).isEqualTo(4);
        // A second alone: the GPU's floor (one whole GPU) is far above its busy time.
        assertThat(WorkBounds.floorDollarsPerMs(spec.stages().get(1), spec.prices()) * 1_000)
                .isGreaterThan(WorkBounds.cheapestDollarsPerRawMs(spec.stages().get(1), app.models().get(1), spec.prices())
                        * 4 * 5);
    }
}
