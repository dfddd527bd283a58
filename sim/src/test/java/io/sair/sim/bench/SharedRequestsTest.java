package io.sair.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.oracle.Hindsight;
import io.sair.sim.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedRequestsTest {

    private static GridBench.Job run(String autoscaler, long seed) {
        return new GridBench.Job("image", "poisson", autoscaler, seed, 2_000, Tuning.DEFAULT, true, 0);
    }

    private final List<GridBench.Job> drawn = new ArrayList<>();
    private final List<GridBench.Job> foreseen = new ArrayList<>();

    private Workload draw(GridBench.Job j) {
        drawn.add(j);
        var app = AppProfiles.get(j.app());
        return Scenarios.workload(app, j.pattern(), j.requests(), j.seed(), null, 1.0);
    }

    private Hindsight foresee(GridBench.Job j, Workload requests) {
        foreseen.add(j);
        var app = AppProfiles.get(j.app());
        return Hindsight.of(app.spec(), app.models(), requests);
    }

    @Test
    void theRunsOnTheSameRequestsShareThemAndOneHindsightUntilTheLastIsDone() {
        List<GridBench.Job> jobs = List.of(run("hpa", 1), run("sair", 1), run("hpa", 2));
        SharedRequests shared = new SharedRequests(jobs, this::draw, this::foresee);

        Hindsight first = shared.future(jobs.get(0));
        assertThat(shared.future(jobs.get(1))).isSameAs(first);
        assertThat(shared.future(jobs.get(2))).isNotSameAs(first);
        assertThat(foreseen).hasSize(2);
        shared.requests(jobs.get(0));
        shared.requests(jobs.get(1));
        assertThat(drawn).hasSize(2);

        shared.release(jobs.get(0));
        shared.release(jobs.get(1));
        // Dropped after the last run on those requests: a late comer would draw them again.
        assertThat(shared.future(jobs.get(0))).isNotSameAs(first);
        assertThat(foreseen).hasSize(3);
        assertThat(drawn).hasSize(3);
        assertThatThrownBy(() -> shared.future(run("hpa", 9))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void preparedRequestsAreTheOnesTheRunsGetAndNoneArePreparedOnceTheirRunsAreDone() {
        List<GridBench.Job> jobs = List.of(run("hpa", 1), run("sair", 1));
        SharedRequests shared = new SharedRequests(jobs, this::draw, this::foresee);
        shared.prepare(jobs.get(0));
        assertThat(drawn).hasSize(1);
        assertThat(foreseen).hasSize(1);
        Hindsight prepared = shared.future(jobs.get(1));
        shared.requests(jobs.get(1));
        assertThat(drawn).hasSize(1);
        assertThat(foreseen).hasSize(1);
        shared.release(jobs.get(0));
        shared.release(jobs.get(1));
        shared.prepare(jobs.get(0));
        assertThat(drawn).hasSize(1);
        assertThat(prepared).isNotNull();
        assertThat(SharedRequests.same(jobs.get(0), jobs.get(1))).isTrue();
        assertThat(SharedRequests.same(jobs.get(0), run("hpa", 2))).isFalse();
    }

    @Test
    void eachRunReplaysExactlyTheRequestsItsOwnDrawWouldGive() {
        GridBench.Job j = run("hpa", 1);
        SharedRequests shared = new SharedRequests(List.of(j, run("kpa", 1)), this::draw, this::foresee);
        Workload a = shared.requests(j);
        Workload b = shared.requests(j);
        Workload fresh = draw(j);
        int n = 0;
        while (fresh.advance()) {
            assertThat(a.advance()).isTrue();
            assertThat(b.advance()).isTrue();
            for (Workload w : List.of(a, b)) {
                assertThat(w.timeMs()).isEqualTo(fresh.timeMs());
                assertThat(w.u()).isEqualTo(fresh.u());
                assertThat(w.g()).isEqualTo(fresh.g());
            }
            n++;
        }
        assertThat(n).isEqualTo(2_000);
        assertThat(a.advance()).isFalse();
        assertThat(a.advance()).isFalse();
        assertThat(b.describe()).isEqualTo(fresh.describe());
    }

    @Test
    void theCostliestSetOfRequestsStartsFirstAndItsRunsTogether() {
        List<GridBench.Job> jobs = List.of(run("hpa", 1), run("hpa", 2), run("sair", 2), run("sair", 1),
                new GridBench.Job("video", "poisson", "hpa", 1, 2_000, Tuning.DEFAULT, true, 0));
        // Costs: 1 per job, 5 for SAIR; the video set is a single cheap run.
        List<Integer> order = SharedRequests.longestFirst(jobs, j -> "sair".equals(j.autoscaler()) ? 5 : 1);
        // Both image sets cost 6: the first seen (seed 1) first, SAIR before HPA within each; video last.
        assertThat(order).containsExactly(3, 0, 2, 1, 4);
    }
}
