package io.sair.sim.bench;

import io.sair.sim.loop.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** results.csv: one row per run, the columns fixed by {@link #HEADER}. */
public final class ResultsCsv {

    public static final String HEADER = "app,pattern,autoscaler,seed,requests,p50_ms,p99_ms,sla_violation_pct,"
            + "throughput_rps,billable_cost_per_1k,effective_cost_per_1k,decisions,mean_replicas,setting";

    private ResultsCsv() {
    }

    /** @param setting the baseline's swept setting ({@link Tuning#label()}); columns after the first 13 are new ones */
    public static String row(RunResult r, String setting) {
        return String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%.3f,%.3f,%.4f,%.3f,%.6f,%.6f,%d,%.3f,%s", r.app(), r.pattern(),
                r.autoscaler(), r.seed(), r.requests(), r.p50Ms(), r.p99Ms(), r.slaViolationPct(), r.throughputRps(),
                r.billableCostPer1k(), r.effectiveCostPer1k(), r.decisions(), r.meanReplicas(),
                setting == null ? "default" : setting.replace(',', ';'));
    }

    public static String render(List<RunResult> rows) {
        return render(rows, null);
    }

    /** @param settings one per row, in order (null: every row its default) */
    public static String render(List<RunResult> rows, List<String> settings) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            sb.append(row(rows.get(i), settings == null ? null : settings.get(i))).append('\n');
        }
        return sb.toString();
    }

    public static void write(Path file, List<RunResult> rows, List<String> settings) throws IOException {
        Files.writeString(file, render(rows, settings), StandardCharsets.UTF_8);
    }
}
