package io.sair.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.loop.ClosedLoop;
import io.sair.sim.loop.RunResult;
import io.sair.sim.oracle.Hindsight;
import io.sair.sim.plant.PipelinePlant;
import org.junit.jupiter.api.Test;

class CapacityProbeTest {

    static final long REQUESTS = 40_000;

    @Test
    void lookingChangesNothingAndSeesTheBurstsCapacityArrive() {
        AppProfile app = AppProfiles.image();
        for (String name : new String[] {"hpa", "sair", "kpa"}) {
            RunResult plain = ClosedLoop.defaults().run("image", "burst", 3, plant(app),
                    Autoscalers.create(name, app, Tuning.DEFAULT, null, null));
            PipelinePlant p = plant(app);
            Hindsight h = Hindsight.of(app.spec(), app.models(), Scenarios.workload(app, "burst", REQUESTS, 3, null, 1));
            CapacityProbe probe = new CapacityProbe(Autoscalers.create(name, app, Tuning.DEFAULT, null, null), p,
                    app.models(), h);
            RunResult seen = ClosedLoop.defaults().run("image", "burst", 3, p, probe);
            assertThat(seen.p99Ms()).as(name).isEqualTo(plain.p99Ms());
            assertThat(seen.billableCostPer1k()).as(name).isEqualTo(plain.billableCostPer1k());
            assertThat(seen.decisions()).as(name).isEqualTo(plain.decisions());
            // Every 5 s, and the actions it counted are the decisions the loop applied, at least one stage each.
            double[] t = probe.sampleTimesMs();
            assertThat(t[1] - t[0]).isEqualTo(5_000.0);
            assertThat(probe.scalingActions()).as(name).isGreaterThanOrEqualTo(plain.decisions());
            assertThat(probe.replicaChanges()).as(name).isPositive();
            // The initial pods serve the 56 rps base but not the 200 rps burst; by the burst's end they do.
            double[] cap = probe.capacityRps();
            assertThat(cap[0]).as(name).isBetween(56.0, 200.0);
            assertThat(Surges.timeToCapacity(Surges.find(app.burst(), h.lastArrivalMs()), t, cap).meanSecondsToCapacity())
                    .as(name).isPositive();
        }
    }

    static PipelinePlant plant(AppProfile app) {
        return Scenarios.plant(app, "burst", REQUESTS, 3, null, 1);
    }
}
