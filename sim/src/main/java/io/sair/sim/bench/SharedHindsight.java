package io.sair.sim.bench;

import io.sair.sim.oracle.Hindsight;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The future of each set of requests (app, pattern, seed, count), computed once and shared by the measured runs on
 * those requests, then dropped after the last of them. Every autoscaler and every oracle setting of a cell runs on
 * the same requests, and building the future (replaying a million requests, sorting their costs for the fluid
 * bound) per run was a sixth of the grid's time. {@link Hindsight} is read-only to the runs but for its lazy sort,
 * which it guards itself.
 */
final class SharedHindsight {

    private record Requests(String app, String pattern, long seed, long count) {
        static Requests of(GridBench.Job j) {
            return new Requests(j.app(), j.pattern(), j.seed(), j.requests());
        }
    }

    private static final class Entry {
        int left;
        Hindsight future;
    }

    private final Map<Requests, Entry> entries = new HashMap<>();
    private final Function<GridBench.Job, Hindsight> compute;

    SharedHindsight(List<GridBench.Job> jobs, Function<GridBench.Job, Hindsight> compute) {
        this.compute = compute;
        for (GridBench.Job j : jobs) {
            if (j.measure()) {
                entries.computeIfAbsent(Requests.of(j), k -> new Entry()).left++;
            }
        }
    }

    /** The run's future; the first run on these requests computes it, the others wait for it. */
    Hindsight acquire(GridBench.Job j) {
        Entry e = entry(j);
        synchronized (e) {
            if (e.future == null) {
                e.future = compute.apply(j);
            }
            return e.future;
        }
    }

    /** The run is done with it; after the last run on these requests it is dropped. */
    void release(GridBench.Job j) {
        Entry e = entry(j);
        synchronized (e) {
            if (--e.left == 0) {
                e.future = null;
            }
        }
    }

    private Entry entry(GridBench.Job j) {
        Entry e = entries.get(Requests.of(j));
        if (e == null) {
            throw new IllegalArgumentException("not a measured run of this phase: " + j);
        }
        return e;
    }

    /**
     * The order to start the jobs in: the runs on the same requests together (so that few futures are held at
     * once), the costliest sets of requests first, and within a set the costliest run first, so that no long run
     * starts last while the other threads idle. Returns indices into {@code jobs}.
     */
    static List<Integer> longestFirst(List<GridBench.Job> jobs, ToDoubleFunction<GridBench.Job> cost) {
        Map<Object, Double> groupCost = new HashMap<>();
        List<Object> group = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            GridBench.Job j = jobs.get(i);
            Object g = j.measure() ? Requests.of(j) : Integer.valueOf(i);
            group.add(g);
            groupCost.merge(g, cost.applyAsDouble(j), Double::sum);
        }
        Map<Object, Integer> firstSeen = new HashMap<>();
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
