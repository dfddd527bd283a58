package io.sair.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.oracle.Hindsight;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedHindsightTest {

    private static GridBench.Job run(String autoscaler, long seed) {
        return new GridBench.Job("image", "poisson", autoscaler, seed, 2_000, Tuning.DEFAULT, true, 0);
    }

    private final List<GridBench.Job> built = new ArrayList<>();

    private Hindsight build(GridBench.Job j) {
        built.add(j);
        var app = AppProfiles.get(j.app());
        return Hindsight.of(app.spec(), app.models(), Scenarios.workload(app, j.pattern(), j.requests(), j.seed(), null, 1.0));
    }

    @Test
    void theRunsOnTheSameRequestsShareOneHindsightUntilTheLastIsDone() {
        List<GridBench.Job> jobs = List.of(run("hpa", 1), run("sair", 1), run("hpa", 2));
        SharedHindsight shared = new SharedHindsight(jobs, this::build);

        Hindsight first = shared.acquire(jobs.get(0));
        assertThat(shared.acquire(jobs.get(1))).isSameAs(first);
        assertThat(shared.acquire(jobs.get(2))).isNotSameAs(first);
        assertThat(built).hasSize(2);

        shared.release(jobs.get(0));
        shared.release(jobs.get(1));
        // Dropped after the last run on those requests: a late comer would build it again.
        assertThat(shared.acquire(jobs.get(0))).isNotSameAs(first);
        assertThat(built).hasSize(3);
        assertThatThrownBy(() -> shared.acquire(run("hpa", 9))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCostliestSetOfRequestsStartsFirstAndItsRunsTogether() {
        List<GridBench.Job> jobs = List.of(run("hpa", 1), run("hpa", 2), run("sair", 2), run("sair", 1),
                new GridBench.Job("video", "poisson", "hpa", 1, 2_000, Tuning.DEFAULT, true, 0));
        // Costs: 1 per job, 5 for SAIR; the video set is a single cheap run.
        List<Integer> order = SharedHindsight.longestFirst(jobs, j -> "sair".equals(j.autoscaler()) ? 5 : 1);
        // Both image sets cost 6: the first seen (seed 1) first, SAIR before HPA within each; video last.
        assertThat(order).containsExactly(3, 0, 2, 1, 4);
    }
}
