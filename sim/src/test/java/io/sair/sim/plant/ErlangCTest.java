package io.sair.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.sim.TestPipelines;
import io.sair.sim.workload.PoissonWorkload;
import io.sair.sim.workload.RateShape;
import io.sair.sim.workload.WorkDist;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A single stage with c servers, Poisson arrivals and exponential service is M/M/c: Erlang C holds. */
class ErlangCTest {

    /** Erlang C: probability that an arrival waits, for c servers and offered load a = lambda / mu. */
    static double erlangC(int c, double a) {
        double sum = 0;
        double term = 1;
        for (int k = 0; k < c; k++) {
            if (k > 0) {
                term *= a / k;
            }
            sum += term;
        }
        double last = term * a / c;
        double pc = last * c / (c - a);
        return pc / (sum + pc);
    }

    @Test
    void meanWaitingTimeMatchesErlangC() {
        int c = 3;
        double serviceMs = 100;
        double lambda = 24; // rho = 0.8
        PipelineSpec spec = TestPipelines.single("s", StageKind.CPU, new Allocation(c, 1000, 4096, 1.0), 1e9);
        StageModel m = StageModel.cpu("s", 0, serviceMs, 1.0, 1, 0, 0, 0, 0);
        PipelinePlant plant = new PipelinePlant(spec, List.of(m),
                new PoissonWorkload(RateShape.constant(lambda), WorkDist.exponential(1), WorkDist.NONE, 400_000, 11),
                PlantOptions.defaults());
        while (!plant.finished()) {
            plant.advance((long) plant.now() + 3_600_000);
        }
        double meanSojournMs = plant.totals().e2eMicros().getMean() / 1000.0;
        double measuredWq = meanSojournMs - serviceMs;
        double mu = 1000.0 / serviceMs;
        double expectedWqMs = erlangC(c, lambda / mu) / (c * mu - lambda) * 1000.0;
        assertThat(expectedWqMs).isBetween(100.0, 115.0); // sanity of the formula: ~107.9 ms
        assertThat(measuredWq).isCloseTo(expectedWqMs, org.assertj.core.data.Percentage.withPercentage(5));
    }
}
