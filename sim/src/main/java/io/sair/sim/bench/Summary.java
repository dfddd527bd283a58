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

    static String key(String app, String pattern, String autoscaler) {
        return app + "|" + pattern + "|" + autoscaler;
    }

    public static String render(List<RunResult> rs, Map<String, Map<String, Tuning>> tuned, BenchConfig cfg, double wall,
                                long simulated) {
        return render(rs, tuned, cfg, wall, simulated, rs, rs.stream().map(r -> "default").toList());
    }

    /**
     * @param all the grid's runs and any frontier runs (other sweep settings on the evaluation seeds)
     * @param allSettings each run's setting label, in the order of {@code all}
     */
    public static String render(List<RunResult> rs, Map<String, Map<String, Tuning>> tuned, BenchConfig cfg, double wall,
                                long simulated, List<RunResult> all, List<String> allSettings) {
        StringBuilder sb = new StringBuilder("# SAIR bench summary\n\n");
        sb.append(String.format(Locale.ROOT, "%d runs, %,d requests each, seeds 1..%d; %,d simulated requests in %.1f s "
                + "wall (%.2f M/s on %d threads). Means over seeds.%n%n", rs.size(), cfg.requests(), cfg.seeds(), simulated,
                wall, simulated / wall / 1e6, cfg.threads()));
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
