package io.sair.sim.bench;

import io.sair.sim.loop.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Pareto frontiers of one grid cell (app, pattern): every baseline setting that ran, as the mean over its
 * seeds, against SAIR. The user pays billable cost, so both frontiers put it against a latency measure:
 * (share of requests within the SLA, billable cost) and (p99, billable cost). A setting dominates another
 * when it is at least as good on both and better on one.
 */
final class Frontier {

    private Frontier() {
    }

    /** One autoscaler setting in one cell, averaged over its seeds. */
    record Point(String autoscaler, String setting, double withinSlaPct, double p99Ms, double billablePer1k) {

        String name() {
            return setting == null || setting.equals("default") ? autoscaler : autoscaler + "@" + setting;
        }
    }

    static final BiPredicate<Point, Point> ON_SLA_SHARE = (a, b) -> a.withinSlaPct() >= b.withinSlaPct()
            && a.billablePer1k() <= b.billablePer1k()
            && (a.withinSlaPct() > b.withinSlaPct() || a.billablePer1k() < b.billablePer1k());

    static final BiPredicate<Point, Point> ON_P99 = (a, b) -> a.p99Ms() <= b.p99Ms()
            && a.billablePer1k() <= b.billablePer1k() && (a.p99Ms() < b.p99Ms() || a.billablePer1k() < b.billablePer1k());

    /** The points no other point dominates, in the order given. */
    static List<Point> frontier(List<Point> points, BiPredicate<Point, Point> dominates) {
        List<Point> out = new ArrayList<>();
        for (Point p : points) {
            if (points.stream().noneMatch(q -> q != p && dominates.test(q, p))) {
                out.add(p);
            }
        }
        return out;
    }

    /** The baseline points that dominate SAIR's. */
    static List<Point> dominators(Point sair, List<Point> baselines, BiPredicate<Point, Point> dominates) {
        return baselines.stream().filter(b -> dominates.test(b, sair)).toList();
    }

    /**
     * The cell's points, one per (autoscaler, setting), means over seeds.
     *
     * @param settings one per run, in order (the baseline's sweep label, "default" otherwise)
     */
    static List<Point> points(List<RunResult> runs, List<String> settings, String app, String pattern) {
        Map<List<String>, List<RunResult>> groups = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            if (r.app().equals(app) && r.pattern().equals(pattern)) {
                groups.computeIfAbsent(List.of(r.autoscaler(), settings.get(i)), k -> new ArrayList<>()).add(r);
            }
        }
        List<Point> out = new ArrayList<>();
        groups.forEach((k, rs) -> out.add(new Point(k.get(0), k.get(1),
                rs.stream().mapToDouble(r -> 100 - r.slaViolationPct()).average().orElseThrow(),
                rs.stream().mapToDouble(RunResult::p99Ms).average().orElseThrow(),
                rs.stream().mapToDouble(RunResult::billableCostPer1k).average().orElseThrow())));
        return out;
    }

    /** "none", or the dominating settings by name, the first three and a count of the rest. */
    static String verdict(List<Point> dominators) {
        if (dominators.isEmpty()) {
            return "none";
        }
        List<String> names = dominators.stream().map(Point::name).toList();
        return names.size() <= 3 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
    }
}
