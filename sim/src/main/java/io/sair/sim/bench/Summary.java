package io.sair.sim.bench;

import io.sair.sim.AppProfiles;
import io.sair.sim.loop.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** summary.md: the paper's Table 4 shape (cost per 1k requests) and a P99 table, means over seeds. */
public final class Summary {

    private Summary() {
    }

    /** Mean of a metric over seeds per (app, pattern, autoscaler). */
    public static Map<String, Double> means(List<RunResult> rs, ToDoubleFunction<RunResult> f) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (RunResult r : rs) {
            double[] a = acc.computeIfAbsent(key(r.app(), r.pattern(), r.autoscaler()), k -> new double[2]);
            a[0] += f.applyAsDouble(r);
            a[1]++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> out.put(k, a[0] / a[1]));
        return out;
    }

    /**
     * The runs' own wall times summed per phase or autoscaler, as one line. The static allocation's runs do the same
     * work in every grid of the same size, so its figure says how fast the machine was: compare walls only with it.
     */
    static String runSeconds(Map<String, Double> runSeconds) {
        StringBuilder sb = new StringBuilder("Run-seconds (each run's wall time, summed");
        if (runSeconds.containsKey("static")) {
            sb.append("; the static allocation's work is the same in every grid of this size, so its figure is this "
                    + "machine's speed");
        }
        sb.append("):");
        runSeconds.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.1f,", k, v)));
        sb.setLength(sb.length() - 1);
        return sb.append('.').toString();
    }

    static String key(String app, String pattern, String autoscaler) {
        return app + "|" + pattern + "|" + autoscaler;
    }

    public static String render(List<RunResult> rs, Map<String, Map<String, Tuning>> tuned, BenchConfig cfg, double wall,
                                long simulated) {
        return render(rs, tuned, cfg, wall, simulated, rs, rs.stream().map(r -> "default").toList(), Map.of());
    }

    /**
     * @param all the grid's runs and any frontier runs (other sweep settings on the evaluation seeds)
     * @param allSettings each run's setting label, in the order of {@code all}
     * @param runSeconds the runs' own wall times summed, per phase or autoscaler (see {@link #runSeconds})
     */
    public static String render(List<RunResult> rs, Map<String, Map<String, Tuning>> tuned, BenchConfig cfg, double wall,
                                long simulated, List<RunResult> all, List<String> allSettings,
                                Map<String, Double> runSeconds) {
        StringBuilder sb = new StringBuilder("# SAIR bench summary\n\n");
        sb.append(String.format(Locale.ROOT, "%d runs, %,d requests each, seeds 1..%d; %,d simulated requests in %.1f s "
                + "wall (%.2f M/s on %d threads). Means over seeds.%n%n", rs.size(), cfg.requests(), cfg.seeds(), simulated,
                wall, simulated / wall / 1e6, cfg.threads()));
        if (!runSeconds.isEmpty()) {
            sb.append(runSeconds(runSeconds)).append("\n\n");
        }
        verdicts(sb, cfg, all, allSettings);
        List<String> baselines = cfg.autoscalers().stream().filter(a -> !a.equals("sair")).toList();
        boolean sair = cfg.autoscalers().contains("sair");
        Map<String, Double> p99 = means(rs, RunResult::p99Ms);
        table(sb, "Effective cost per 1,000 requests (USD)", rs, cfg, baselines, sair, means(rs,
                RunResult::effectiveCostPer1k), p99, "%.4f", true);
        table(sb, "Billable cost per 1,000 requests (USD, whole GPUs)", rs, cfg, baselines, sair, means(rs,
                RunResult::billableCostPer1k), p99, "%.4f", true);
        table(sb, "P99 end-to-end latency (ms)", rs, cfg, baselines, sair, p99, p99, "%.0f", false);
        table(sb, "SLA violations (% of requests over the SLA or dropped)", rs, cfg, baselines, sair, means(rs,
                RunResult::slaViolationPct), p99, "%.2f", false);
        sb.append("Ratio = SAIR / best baseline of that cell (below 1: SAIR better); for cost, the cheapest baseline "
                + "whose mean p99 meets the SLA, when one does. `*` marks a mean p99 over the app's SLA.\n\n");
        List<String> swept = GridBench.TUNED.stream().filter(cfg.autoscalers()::contains).toList();
        sb.append("## Baseline settings (swept per app on tuning seed ").append(BenchConfig.TUNING_SEED)
                .append(")\n\n| app | SLA p99 |");
        swept.forEach(a -> sb.append(' ').append(a).append(" |"));
        sb.append("\n|---|---|").append("---|".repeat(swept.size())).append('\n');
        for (String app : cfg.apps()) {
            Map<String, Tuning> t = tuned.getOrDefault(app, Map.of());
            sb.append(String.format(Locale.ROOT, "| %s | %.0f ms |", app, AppProfiles.get(app).spec().slaP99Ms()));
            swept.forEach(a -> sb.append(' ').append(t.containsKey(a) ? t.get(a).label() : "-").append(" |"));
            sb.append('\n');
        }
        sb.append("\nRule: most patterns with p99 within the SLA; then lowest mean p99/SLA (within 5% = tie); "
                + "ties by lowest mean effective cost.\n");
        return sb.toString();
    }

    /**
     * The evaluation sections: the bounds and the hindsight oracle per cell, 95% intervals over seeds, and the
     * surges' time to capacity with each autoscaler's churn.
     *
     * @param extras one per grid run, in order; @param oracleExtras one per oracle run
     */
    static String evaluation(BenchConfig cfg, List<RunResult> rs, List<RunExtras> extras, List<RunResult> oracles,
                             List<String> oracleSettings, List<RunExtras> oracleExtras) {
        return evaluation(cfg, rows(rs, extras, oracles, oracleSettings, oracleExtras));
    }

    /** The grid's runs and the oracle's, each under the name the tables use (the oracle per setting). */
    static List<Row> rows(List<RunResult> rs, List<RunExtras> extras, List<RunResult> oracles, List<String> oracleSettings,
                          List<RunExtras> oracleExtras) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            rows.add(new Row(rs.get(i), rs.get(i).autoscaler(), extras.get(i)));
        }
        for (int i = 0; i < oracles.size(); i++) {
            rows.add(new Row(oracles.get(i), "oracle@" + oracleSettings.get(i), oracleExtras.get(i)));
        }
        return rows;
    }

    static String evaluation(BenchConfig cfg, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        bounds(sb, cfg, rows);
        intervals(sb, cfg, rows);
        surges(sb, cfg, rows);
        return sb.toString();
    }

    /** One run with the name it goes by in the tables (the oracle per setting). */
    record Row(RunResult r, String name, RunExtras x) {
    }

    private static List<Row> cell(List<Row> rows, String app, String pattern) {
        return rows.stream().filter(w -> w.r().app().equals(app) && w.r().pattern().equals(pattern)).toList();
    }

    private static Map<String, List<Row>> byName(List<Row> rows) {
        Map<String, List<Row>> out = new LinkedHashMap<>();
        rows.forEach(w -> out.computeIfAbsent(w.name(), k -> new ArrayList<>()).add(w));
        return out;
    }

    private static double mean(List<Row> rows, ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static void bounds(StringBuilder sb, BenchConfig cfg, List<Row> rows) {
        sb.append("## Bounds and the hindsight oracle\n\n")
                .append("| App | Pattern | SLA feasible | within SLA at most | peak load | fluid bound / 1k | oracle at SAIR's "
                        + "share (setting: within SLA, billable / 1k) | SAIR within SLA | SAIR billable / 1k | SAIR / oracle "
                        + "| SAIR / bound |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String app : cfg.apps()) {
            double sla = AppProfiles.get(app).spec().slaP99Ms();
            for (String pattern : cfg.patterns()) {
                List<Row> c = cell(rows, app, pattern);
                if (c.isEmpty()) {
                    continue;
                }
                List<Row> sair = c.stream().filter(w -> w.name().equals("sair")).toList();
                List<Row> ref = sair.isEmpty() ? c : sair;
                double upper = c.stream().mapToDouble(w -> w.x().withinSlaUpperPct()).min().orElse(Double.NaN);
                double peak = c.stream().mapToDouble(w -> w.x().peakLoadRatio()).max().orElse(Double.NaN);
                String witness = byName(c).entrySet().stream()
                        .filter(e -> e.getValue().stream().allMatch(w -> w.r().p99Ms() <= sla))
                        .min(java.util.Comparator.comparingDouble(e -> mean(e.getValue(), w -> w.r().billableCostPer1k())))
                        .map(Map.Entry::getKey).orElse(null);
                String feasible = witness != null ? "yes (" + witness + ")"
                        : upper < 99 ? String.format(Locale.ROOT, "no (at most %.2f%% within)", upper)
                        : peak > 1 ? "unknown (some request misses)" : "unknown";
                String oracle = "-";
                String gap = "-";
                if (!sair.isEmpty()) {
                    long unmatched = sair.stream().filter(w -> !Double.isFinite(w.x().oracleBillablePer1k())).count();
                    List<String> settings = sair.stream().map(w -> w.x().oracleSetting()).distinct().toList();
                    oracle = unmatched > 0 ? "below SAIR's share on " + unmatched + " of " + sair.size() + " seeds"
                            : String.format(Locale.ROOT, "%s: %.2f%%, $%.4f", String.join("; ", settings),
                                    mean(sair, w -> w.x().oracleWithinSlaPct()), mean(sair, w -> w.x().oracleBillablePer1k()));
                    gap = unmatched > 0 ? "-" : String.format(Locale.ROOT, "%.2f",
                            mean(sair, w -> w.r().billableCostPer1k() / w.x().oracleBillablePer1k()));
                }
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f%% | %.2f | $%.4f | %s | %s | %s | %s | %s |%n", app,
                        pattern, feasible, upper, peak, mean(ref, w -> w.x().fluidBoundPer1k()), oracle,
                        sair.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f%%", mean(sair, w -> 100 - w.r().slaViolationPct())),
                        sair.isEmpty() ? "-" : String.format(Locale.ROOT, "$%.4f", mean(sair, w -> w.r().billableCostPer1k())),
                        gap, sair.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f",
                                mean(sair, w -> w.r().billableCostPer1k() / w.x().fluidBoundPer1k()))));
            }
        }
        sb.append("""

                What holds, for every autoscaler whose allocations stay within the spec's limits, on these requests
                (`sim/README.md`, "Oracle and bounds"): *within SLA at most* is an upper bound on the share of requests any
                run finishes within the SLA (each request alone at every stage's fastest allocation; the least over
                seeds); *peak load* above 1 means some request misses the SLA whatever the autoscaler (the most work
                arriving in one minute over what the largest allowed stages serve by the SLA after it; the most over
                seeds); the *fluid bound* is a lower bound on billable cost per 1,000 completed requests (each completed
                request's work at each stage at the cheapest price per unit of work the limits allow; no idle
                capacity). *SLA feasible*: yes when some autoscaler or oracle setting (named, the cheapest) met the p99
                on every seed, no when the upper bound is under 99%, else unknown. The oracle (replicas from the known
                future arrivals, 5 s look-ahead past the start-up delay; each setting caps the busy share) is a
                heuristic, not a proven optimum: per seed, the cheapest setting with a share within the SLA at least
                SAIR's; *SAIR / oracle* is the mean over seeds of SAIR's billable cost over that setting's.

                """);
    }

    private static void intervals(StringBuilder sb, BenchConfig cfg, List<Row> rows) {
        sb.append("## 95% confidence intervals over seeds\n\n| App | Pattern | Autoscaler | seeds | within SLA (%) | p99 (ms) "
                + "| billable / 1k (USD) |\n|---|---|---|---|---|---|---|\n");
        for (String app : cfg.apps()) {
            for (String pattern : cfg.patterns()) {
                byName(cell(rows, app, pattern)).forEach((name, runs) -> sb.append(String.format(Locale.ROOT,
                        "| %s | %s | %s | %d | %s | %s | %s |%n", app, pattern, name, runs.size(),
                        interval(runs, w -> 100 - w.r().slaViolationPct(), "%.2f"),
                        interval(runs, w -> w.r().p99Ms(), "%.0f"), interval(runs, w -> w.r().billableCostPer1k(), "%.4f"))));
            }
        }
        sb.append("\nMean ± half-width of the 95% interval (Student's t, seeds - 1 degrees of freedom, each seed's run "
                + "one observation); one seed gives no interval.\n\n");
    }

    private static String interval(List<Row> runs, ToDoubleFunction<Row> f, String fmt) {
        double[] xs = runs.stream().mapToDouble(f).toArray();
        double m = java.util.Arrays.stream(xs).average().orElse(Double.NaN);
        double h = Confidence.halfWidth95(xs);
        return String.format(Locale.ROOT, fmt, m) + (Double.isFinite(h) ? " ± " + String.format(Locale.ROOT, fmt, h) : "");
    }

    private static void surges(StringBuilder sb, BenchConfig cfg, List<Row> rows) {
        sb.append("## Surges: time to capacity, and churn\n\n| App | Pattern | Autoscaler | surges | to capacity (s) "
                + "| not covered | scaling actions | replica changes |\n|---|---|---|---|---|---|---|---|\n");
        for (String app : cfg.apps()) {
            for (String pattern : cfg.patterns()) {
                byName(cell(rows, app, pattern)).forEach((name, runs) -> sb.append(String.format(Locale.ROOT,
                        "| %s | %s | %s | %.1f | %s | %.1f | %.0f | %.0f |%n", app, pattern, name,
                        mean(runs, w -> w.x().surges()), fmtOr(mean(runs, w -> w.x().surgeToCapacityS()), "%.0f"),
                        mean(runs, w -> w.x().surgesUncovered()), mean(runs, w -> w.x().scalingActions()),
                        mean(runs, w -> w.x().replicaChanges()))));
            }
        }
        sb.append("\nMeans over seeds. A surge is a rise of the pattern's rate by at least 24% within two minutes (every "
                + "burst, flash crowd, upward regime step and diurnal spike; not the ramp or the diurnal wave); *to "
                + "capacity*: from its start until the ready pods' capacity (sampled every 5 s; best-case batches, the "
                + "run's mean request) first covers its peak rate; a surge that ends first is *not covered* and counts "
                + "with its whole length. Scaling actions: stage changes applied; replica changes: the sum of their "
                + "|replica steps|.\n\n");
    }

    private static String fmtOr(double v, String fmt) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, fmt, v) : "-";
    }

    /** Per cell: which baseline settings beat SAIR on both a latency measure and billable cost. */
    private static void verdicts(StringBuilder sb, BenchConfig cfg, List<RunResult> all, List<String> settings) {
        if (!cfg.autoscalers().contains("sair")) {
            return;
        }
        sb.append("## Verdict: is SAIR dominated?\n\n").append(cfg.frontier()
                ? "Every swept setting of every baseline ran on the evaluation seeds (`--frontier`; frontier.csv).\n\n"
                : "Only each baseline's chosen setting ran on the evaluation seeds; `--frontier` runs them all.\n\n");
        sb.append("| App | Pattern | SAIR within SLA | SAIR p99 | SAIR billable / 1k | dominated on (within SLA, billable) by "
                + "| dominated on (p99, billable) by | frontier points |\n|---|---|---|---|---|---|---|---|\n");
        for (String app : cfg.apps()) {
            for (String pattern : cfg.patterns()) {
                List<Frontier.Point> pts = Frontier.points(all, settings, app, pattern);
                Frontier.Point sair = pts.stream().filter(p -> p.autoscaler().equals("sair")).findFirst().orElse(null);
                if (sair == null) {
                    continue;
                }
                List<Frontier.Point> base = pts.stream().filter(p -> !p.autoscaler().equals("sair")).toList();
                sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f%% | %.0f ms | $%.4f | %s | %s | %d, %d |%n", app,
                        pattern, sair.withinSlaPct(), sair.p99Ms(), sair.billablePer1k(),
                        Frontier.verdict(Frontier.dominators(sair, base, Frontier.ON_SLA_SHARE)),
                        Frontier.verdict(Frontier.dominators(sair, base, Frontier.ON_P99)),
                        Frontier.frontier(base, Frontier.ON_SLA_SHARE).size(), Frontier.frontier(base, Frontier.ON_P99).size()));
            }
        }
        sb.append("\nA setting dominates SAIR when it is at least as good on both measures and better on one (means over "
                + "seeds, the same requests). Frontier points: the baseline settings on the Pareto frontier of each pair.\n\n");
    }

    private static void table(StringBuilder sb, String title, List<RunResult> rs, BenchConfig cfg, List<String> baselines,
                              boolean sair, Map<String, Double> m, Map<String, Double> p99, String fmt,
                              boolean costTable) {
        sb.append("## ").append(title).append("\n\n| App | Pattern |");
        List<String> cols = new ArrayList<>(baselines);
        if (sair) {
            cols.add("sair");
        }
        for (String c : cols) {
            sb.append(' ').append(c).append(" |");
        }
        if (sair && !baselines.isEmpty()) {
            sb.append(" SAIR/best |");
        }
        sb.append("\n|---|---|");
        sb.append("---|".repeat(cols.size() + (sair && !baselines.isEmpty() ? 1 : 0))).append('\n');
        for (String app : cfg.apps()) {
            double sla = AppProfiles.get(app).spec().slaP99Ms();
            for (String pattern : cfg.patterns()) {
                sb.append("| ").append(app).append(" | ").append(pattern).append(" |");
                double best = Double.POSITIVE_INFINITY;
                double bestWithinSla = Double.POSITIVE_INFINITY;
                for (String c : cols) {
                    Double v = m.get(key(app, pattern, c));
                    Double p = p99.get(key(app, pattern, c));
                    String cell = v == null ? "-" : String.format(Locale.ROOT, fmt, v) + (p != null && p > sla ? "*" : "");
                    sb.append(' ').append(cell).append(" |");
                    if (!c.equals("sair") && v != null) {
                        best = Math.min(best, v);
                        if (p != null && p <= sla) {
                            bestWithinSla = Math.min(bestWithinSla, v);
                        }
                    }
                }
                if (costTable && Double.isFinite(bestWithinSla)) {
                    // Cheap by missing the SLA is no saving: compare cost with the baselines that meet it.
                    best = bestWithinSla;
                }
                if (sair && !baselines.isEmpty()) {
                    Double s = m.get(key(app, pattern, "sair"));
                    sb.append(s == null || !(best > 0) || Double.isInfinite(best) ? " - |"
                            : String.format(Locale.ROOT, " %.2f |", s / best));
                }
                sb.append('\n');
            }
        }
        sb.append('\n');
    }
}
