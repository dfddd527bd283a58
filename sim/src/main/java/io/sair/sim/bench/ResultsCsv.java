package io.sair.sim.bench;

import io.sair.sim.loop.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * results.csv: one row per run, the columns fixed by {@link #HEADER}. Columns are only ever added at the end
 * (scripts read it by position too); a value that does not apply or is unknown is left empty.
 */
public final class ResultsCsv {

    /** The first fourteen columns, as they have been since the grid began. */
    static final String BASE_HEADER = "app,pattern,autoscaler,seed,requests,p50_ms,p99_ms,sla_violation_pct,"
            + "throughput_rps,billable_cost_per_1k,effective_cost_per_1k,decisions,mean_replicas,setting";

    /** The columns of {@link RunExtras}, after the base ones. */
    static final String EXTRA_HEADER = "fluid_bound_billable_per_1k,within_sla_upper_bound_pct,peak_load_ratio,"
            + "oracle_billable_per_1k,oracle_within_sla_pct,oracle_setting,cost_gap_to_oracle,surges,"
            + "surge_to_capacity_s,surges_uncovered,scaling_actions,replica_changes";

    public static final String HEADER = BASE_HEADER + "," + EXTRA_HEADER;

    private static final int EXTRA_COLUMNS = EXTRA_HEADER.split(",").length;

    private ResultsCsv() {
    }

    /** @param setting the baseline's swept setting ({@link Tuning#label()}); columns after the first 13 are new ones */
    public static String row(RunResult r, String setting) {
        return row(r, setting, null);
    }

    static String row(RunResult r, String setting, RunExtras x) {
        return String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%.3f,%.3f,%.4f,%.3f,%.6f,%.6f,%d,%.3f,%s", r.app(), r.pattern(),
                r.autoscaler(), r.seed(), r.requests(), r.p50Ms(), r.p99Ms(), r.slaViolationPct(), r.throughputRps(),
                r.billableCostPer1k(), r.effectiveCostPer1k(), r.decisions(), r.meanReplicas(), text(setting, "default"))
                + "," + extras(r, x);
    }

    private static String extras(RunResult r, RunExtras x) {
        if (x == null) {
            return ",".repeat(EXTRA_COLUMNS - 1);
        }
        return String.join(",", num("%.6f", x.fluidBoundPer1k()), num("%.4f", x.withinSlaUpperPct()),
                num("%.4f", x.peakLoadRatio()), num("%.6f", x.oracleBillablePer1k()), num("%.4f", x.oracleWithinSlaPct()),
                text(x.oracleSetting(), ""), num("%.4f", r.billableCostPer1k() / x.oracleBillablePer1k()),
                Integer.toString(x.surges()), num("%.1f", x.surgeToCapacityS()), Integer.toString(x.surgesUncovered()),
                Long.toString(x.scalingActions()), Long.toString(x.replicaChanges()));
    }

    private static String num(String fmt, double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, fmt, v) : "";
    }

    private static String text(String s, String otherwise) {
        return s == null ? otherwise : s.replace(',', ';');
    }

    public static String render(List<RunResult> rows) {
        return render(rows, null);
    }

    /** @param settings one per row, in order (null: every row its default) */
    public static String render(List<RunResult> rows, List<String> settings) {
        return render(rows, settings, null);
    }

    /** @param extras one per row, in order (null: the extra columns left empty) */
    static String render(List<RunResult> rows, List<String> settings, List<RunExtras> extras) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            sb.append(row(rows.get(i), settings == null ? null : settings.get(i), extras == null ? null : extras.get(i)))
                    .append('\n');
        }
        return sb.toString();
    }

    public static void write(Path file, List<RunResult> rows, List<String> settings) throws IOException {
        write(file, rows, settings, null);
    }

    static void write(Path file, List<RunResult> rows, List<String> settings, List<RunExtras> extras) throws IOException {
        Files.writeString(file, render(rows, settings, extras), StandardCharsets.UTF_8);
    }
}
