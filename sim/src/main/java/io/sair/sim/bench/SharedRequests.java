package io.sair.sim.bench;

import io.sair.sim.oracle.Hindsight;
import io.sair.sim.workload.RecordedRequests;
import io.sair.sim.workload.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The requests of each set (app, pattern, seed, count), drawn once and shared by the runs of a phase on them, with
 * their future for the measured runs; both dropped after the last run on them. Every autoscaler and oracle setting of
 * a cell (and every swept setting of a baseline) runs on the same seeded requests: drawing them per run was an eighth
 * of a run, and building the future (replaying a million requests, sorting their costs for the fluid bound) a sixth
 * of the grid. Sets above {@link #MAX_RECORDED} requests are drawn per run (a million take 24 MB). {@link Hindsight}
 * is read-only to the runs but for its lazy sort, which it guards itself.
 */
final class SharedRequests {

    static final long MAX_RECORDED = 4_000_000;

    private record Requests(String app, String pattern, long seed, long count) {
        static Requests of(GridBench.Job j) {
            return new Requests(j.app(), j.pattern(), j.seed(), j.requests());
        }
    }

    private static final class Entry {
        int left;
        RecordedRequests requests;
        Hindsight future;
    }

    private final Map<Requests, Entry> entries = new HashMap<>();
    private final Function<GridBench.Job, Workload> draw;
    private final BiFunction<GridBench.Job, Workload, Hindsight> foresee;

    /**
     * @param draw    a fresh copy of a job's seeded workload
     * @param foresee the future of a job's requests, read from the workload given
     */
    SharedRequests(List<GridBench.Job> jobs, Function<GridBench.Job, Workload> draw,
                   BiFunction<GridBench.Job, Workload, Hindsight> foresee) {
        this.draw = draw;
        this.foresee = foresee;
        for (GridBench.Job j : jobs) {
            entries.computeIfAbsent(Requests.of(j), k -> new Entry()).left++;
        }
    }

    /** Whether two jobs run on the same requests. */
    static boolean same(GridBench.Job a, GridBench.Job b) {
        return Requests.of(a).equals(Requests.of(b));
    }

    /** The run's requests; the first run on them draws and records them, the others wait for that. */
    Workload requests(GridBench.Job j) {
        Entry e = entry(j);
        synchronized (e) {
            return requestsOf(e, j);
        }
    }

    /** The run's future; the first run that asks computes it, the others wait for it. */
    Hindsight future(GridBench.Job j) {
        Entry e = entry(j);
        synchronized (e) {
            if (e.future == null) {
                e.future = foresee.apply(j, requestsOf(e, j));
            }
            return e.future;
        }
    }

    /**
     * Draws the job's requests (and, for a measured run, builds their future) ahead of its runs, unless they are
     * drawn per run or no run on them is left: a thread that does this while the other runs leaves neither waiting
     * when the set's runs start.
     */
    void prepare(GridBench.Job j) {
        if (j.requests() > MAX_RECORDED) {
            return;
        }
        Entry e = entry(j);
        synchronized (e) {
            if (e.left > 0) {
                requestsOf(e, j);
                if (j.measure() && e.future == null) {
                    e.future = foresee.apply(j, requestsOf(e, j));
                }
            }
        }
    }

    /** A replay of the set's recording (made by the first caller), or a fresh draw for a set too large to keep. */
    private Workload requestsOf(Entry e, GridBench.Job j) {
        if (j.requests() > MAX_RECORDED) {
            return draw.apply(j);
        }
        if (e.requests == null) {
            e.requests = RecordedRequests.of(draw.apply(j));
        }
        return e.requests.replay();
    }

    /** The run is done with them; after the last run on these requests they are dropped. */
    void release(GridBench.Job j) {
        Entry e = entry(j);
        synchronized (e) {
            if (--e.left == 0) {
                e.requests = null;
                e.future = null;
            }
        }
    }

    private Entry entry(GridBench.Job j) {
        Entry e = entries.get(Requests.of(j));
        if (e == null) {
            throw new IllegalArgumentException("not a run of this phase: " + j);
        }
        return e;
    }

    /**
     * The order to start the jobs in: the runs on the same requests together (so that few sets are held at
     * once), the costliest sets of requests first, and within a set the costliest run first, so that no long run
     * starts last while the other threads idle. Returns indices into {@code jobs}.
     */
    static List<Integer> longestFirst(List<GridBench.Job> jobs, ToDoubleFunction<GridBench.Job> cost) {
        Map<Requests, Double> groupCost = new HashMap<>();
        List<Requests> group = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            GridBench.Job j = jobs.get(i);
            Requests g = Requests.of(j);
            group.add(g);
            groupCost.merge(g, cost.applyAsDouble(j), Double::sum);
        }
        Map<Requests, Integer> firstSeen = new HashMap<>();
        for (int i = 0; i < group.size(); i++) {
            firstSeen.putIfAbsent(group.get(i), i);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -groupCost.get(group.get(i)))
                .thenComparingInt(i -> firstSeen.get(group.get(i)))
                .thenComparingDouble(i -> -cost.applyAsDouble(jobs.get(i))));
        return order;
    }
}
