package io.sair.job.report;

import io.sair.core.model.StageKind;
import io.sair.job.demo.DemoResult;
import io.sair.job.demo.RoundRow;
import io.sair.job.demo.RunFigures;
import io.sair.sim.loop.Trajectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.XYChart;

/**
 * report.html of a demo run: SAIR next to static allocation, p99 against the SLA, cost, replicas and
 * GPU rate per stage over time, and every decision with its selector, bottleneck and reward.
 */
public final class DemoReport {

    private DemoReport() {
    }

    public static void write(DemoResult r, Path file) throws IOException {
        Files.writeString(file, render(r), StandardCharsets.UTF_8);
    }

    static String render(DemoResult r) {
        List<RoundRow> rows = r.rounds();
        double sla = r.config().app().spec().slaP99Ms();
        Html h = new Html("SAIR demo: " + r.config().app().spec().name());
        h.h1("SAIR demo: " + r.config().app().title());
        h.sub(String.format(Locale.ROOT, "%s workload, %d rounds of 30 s (%.0f simulated minutes), seed %d; SLA p99 %.0f ms; "
                        + "the SAIR Flink job on a local MiniCluster over Kafka, driven by the pipeline simulator; "
                        + "static allocation is the same workload on the same simulator with the initial allocation kept.",
                r.config().pattern(), r.config().rounds(), r.config().rounds() * 0.5, r.config().seed(), sla));

        h.h2("SAIR next to static allocation");
        List<List<String>> fig = new ArrayList<>();
        for (RunFigures f : List.of(r.sair(), r.staticAllocation())) {
            fig.add(List.of(f.name(), String.format(Locale.ROOT, "%,d", f.requests()), ms(f.p99Ms()),
                    String.format(Locale.ROOT, "%.2f %%", f.slaViolationPct()), String.format(Locale.ROOT, "$%.3f", f.meanCostPerHour()),
                    String.format(Locale.ROOT, "$%.4f", f.costPer1k())));
        }
        h.table(List.of("", "requests", "p99 (all requests)", "over SLA or dropped", "mean cost per hour", "cost per 1k requests"),
                fig, Set.of(0), List.of(r.sair().p99Ms() > sla, r.staticAllocation().p99Ms() > sla), false);
        h.p("Cost is the effective cost: CPU and memory as allocated, the GPU scaled by its rate. A red row is over the SLA.");

        double[] x = rows.stream().mapToDouble(RoundRow::simMinutes).toArray();
        Trajectory st = r.staticRun().trajectory();
        double[] sx = st.tSec();
        for (int i = 0; i < sx.length; i++) {
            sx[i] /= 60.0;
        }
        h.h2("Latency and cost over time");
        XYChart p99 = ReportCharts.timeline("Window p99 against the SLA (ms, log scale)", "p99 ms");
        p99.getStyler().setYAxisLogarithmic(true);
        if (x.length > 0) {
            ReportCharts.line(p99, "SAIR", x, floor1(rows.stream().mapToDouble(RoundRow::p99Ms).toArray()));
        }
        if (sx.length > 0) {
            ReportCharts.line(p99, "static", sx, floor1(st.p99Ms()));
            ReportCharts.line(p99, "SLA", new double[] {0, sx[sx.length - 1]}, new double[] {sla, sla});
        }
        h.image(ReportCharts.png(p99), "p99 over time", "Each point is the end-to-end p99 of one 30 s window.");
        XYChart cost = ReportCharts.timeline("Effective cost per hour (USD)", "$/h");
        if (x.length > 0) {
            ReportCharts.steps(cost, "SAIR", x, rows.stream().mapToDouble(RoundRow::costPerHour).toArray());
        }
        if (sx.length > 0) {
            ReportCharts.steps(cost, "static", sx, st.costPerHour());
        }
        h.image(ReportCharts.png(cost), "cost over time", null);
        if (sx.length > 0) {
            XYChart load = ReportCharts.timeline("Offered load (requests per second)", "rps");
            ReportCharts.line(load, "arrivals", sx, st.arrivalRps());
            h.image(ReportCharts.png(load), "offered load", "The same requests reach both runs.");
        }

        if (!rows.isEmpty()) {
            h.h2("What SAIR allocated");
            List<String> stages = rows.get(0).stages();
            XYChart reps = ReportCharts.timeline("Replicas per stage", "replicas");
            XYChart rate = ReportCharts.timeline("GPU rate per GPU stage (share of the GPU)", "rate");
            boolean anyGpu = false;
            for (int s = 0; s < stages.size(); s++) {
                int i = s;
                ReportCharts.steps(reps, stages.get(s), x, rows.stream().mapToDouble(row -> row.ran().get(i).replicas()).toArray());
                if (rows.get(0).kinds().get(s) == StageKind.GPU) {
                    anyGpu = true;
                    ReportCharts.steps(rate, stages.get(s), x, rows.stream().mapToDouble(row -> row.ran().get(i).rate()).toArray());
                }
            }
            h.image(ReportCharts.png(reps), "replicas per stage", "What each stage ran during the window.");
            if (anyGpu) {
                rate.getStyler().setYAxisMin(0.0).setYAxisMax(1.05);
                h.image(ReportCharts.png(rate), "GPU rate per stage", null);
            }
        }

        h.h2("Decisions");
        h.p("One decision per round, as published to sair.actions (decisions.jsonl holds them verbatim). Reward is the "
                + "previous round's decision, measured on this window. Rows over the SLA are red.");
        List<List<String>> table = new ArrayList<>();
        List<Boolean> bad = new ArrayList<>();
        for (RoundRow row : rows) {
            table.add(List.of(String.valueOf(row.round()), String.format(Locale.ROOT, "%.1f", row.simMinutes()), ms(row.p99Ms()),
                    String.format(Locale.ROOT, "$%.2f", row.costPerHour()), row.selector(), row.bottleneck(),
                    Double.isNaN(row.reward()) ? "" : String.format(Locale.ROOT, "%+.3f", row.reward()), row.decision(),
                    row.rationale()));
            bad.add(!row.slaMet());
        }
        h.table(List.of("round", "min", "p99", "cost/h", "selector", "bottleneck", "reward", "decision", "rationale"), table,
                Set.of(4, 5, 7, 8), bad, true);
        h.h2("Files");
        h.raw("<p><code>decisions.jsonl</code> every ScalingDecision as published; <code>rounds.csv</code> one line per round; "
                + (r.savepoint() == null ? "no savepoint was taken."
                : "learned state in the savepoint <code>" + Html.esc(r.savepoint()) + "</code> (read it with "
                + "<code>./sair state --savepoint PATH</code>).") + "</p>");
        return h.render();
    }

    private static String ms(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.0f ms", v) : "-";
    }

    /** A log axis cannot show 0 (an empty window): 1 ms is the floor. */
    private static double[] floor1(double[] v) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] > 1 ? out[i] : 1;
        }
        return out;
    }
}
