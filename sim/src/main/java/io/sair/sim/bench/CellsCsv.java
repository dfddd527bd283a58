package io.sair.sim.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * cells.csv: one row per (app, pattern, autoscaler or oracle setting), means over seeds with the half-width of
 * their 95% interval ({@link Confidence}; empty for one seed). Columns are only ever added at the end.
 */
final class CellsCsv {

    static final String HEADER = "app,pattern,autoscaler,seeds,within_sla_pct,within_sla_pct_ci95,p99_ms,p99_ms_ci95,"
            + "billable_cost_per_1k,billable_cost_per_1k_ci95,cost_gap_to_oracle,surge_to_capacity_s,replica_changes";

    private CellsCsv() {
    }

    static String render(List<Summary.Row> rows) {
        Map<List<String>, List<Summary.Row>> cells = new LinkedHashMap<>();
        for (Summary.Row w : rows) {
            cells.computeIfAbsent(List.of(w.r().app(), w.r().pattern(), w.name()), k -> new ArrayList<>()).add(w);
        }
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        cells.forEach((k, runs) -> sb.append(String.join(",", k.get(0), k.get(1), k.get(2).replace(',', ';'),
                Integer.toString(runs.size()),
                mean(runs, w -> 100 - w.r().slaViolationPct(), "%.4f"), ci(runs, w -> 100 - w.r().slaViolationPct(), "%.4f"),
                mean(runs, w -> w.r().p99Ms(), "%.3f"), ci(runs, w -> w.r().p99Ms(), "%.3f"),
                mean(runs, w -> w.r().billableCostPer1k(), "%.6f"), ci(runs, w -> w.r().billableCostPer1k(), "%.6f"),
                mean(runs, w -> w.r().billableCostPer1k() / w.x().oracleBillablePer1k(), "%.4f"),
                mean(runs, w -> w.x().surgeToCapacityS(), "%.1f"), mean(runs, w -> w.x().replicaChanges(), "%.1f")))
                .append('\n'));
        return sb.toString();
    }

    /** The mean over the seeds where the value is known (empty when none is). */
    private static String mean(List<Summary.Row> runs, ToDoubleFunction<Summary.Row> f, String fmt) {
        double[] xs = runs.stream().mapToDouble(f).filter(Double::isFinite).toArray();
        return xs.length == 0 ? "" : String.format(Locale.ROOT, fmt, java.util.Arrays.stream(xs).average().orElseThrow());
    }

    private static String ci(List<Summary.Row> runs, ToDoubleFunction<Summary.Row> f, String fmt) {
        double h = Confidence.halfWidth95(runs.stream().mapToDouble(f).toArray());
        return Double.isFinite(h) ? String.format(Locale.ROOT, fmt, h) : "";
    }
}
