package io.sair.job.report;

import io.sair.core.model.Allocation;
import io.sair.core.model.StageKind;
import io.sair.job.demo.BaselineRun;
import io.sair.job.demo.DemoResult;
import io.sair.job.demo.RoundRow;
import io.sair.job.demo.RunFigures;
import io.sair.job.demo.SurgeRow;
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
 * report.html of a demo run: SAIR next to static allocation and the best production baseline, p99 against the SLA, cost, replicas and
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
                        + "static allocation and the baselines are the same requests on the same simulator (static keeps "
                        + "the initial allocation).",
                r.config().pattern(), r.config().rounds(), r.config().rounds() * 0.5, r.config().seed(), sla));

        BaselineRun best = r.baselines().best();
        h.h2("SAIR next to static allocation and the best baseline");
        List<RunFigures> shown = List.of(r.sair(), best.figures(), r.staticAllocation());
        h.table(FIGURE_HEADER, shown.stream().map(f -> figures(f, f == best.figures() ? best.setting() : "")).toList(),
                Set.of(0, 1), shown.stream().map(f -> f.p99Ms() > sla).toList(), false);
        h.p("The best baseline is the production autoscaler a user would otherwise run, picked by the bench's rule: of "
                + "those whose p99 meets the SLA the cheapest billable cost, or, when none meets it, the lowest p99; "
                + r.baselines().how() + ". Effective cost: CPU and memory as allocated, the GPU scaled by its rate; "
                + "billable cost: whole GPUs. Decisions: those that changed an allocation (for SAIR, rounds and surges). A red row "
                + "is over the SLA.");
        h.h2("Every baseline on the same requests");
        h.table(FIGURE_HEADER, r.baselines().runs().stream().map(b -> figures(b.figures(), b.setting())).toList(),
                Set.of(0, 1), r.baselines().runs().stream().map(b -> !b.slaMet(sla)).toList(), false);

        double[] x = rows.stream().mapToDouble(RoundRow::simMinutes).toArray();
        Trajectory st = r.staticRun().trajectory();
        double[] sx = minutes(st.tSec());
        h.h2("Latency and cost over time");
        XYChart p99 = ReportCharts.timeline("Window p99 against the SLA (ms, log scale)", "p99 ms");
        p99.getStyler().setYAxisLogarithmic(true);
        if (x.length > 0) {
            ReportCharts.line(p99, "SAIR", x, floor1(rows.stream().mapToDouble(RoundRow::p99Ms).toArray()));
        }
        Trajectory bt = best.run().trajectory();
        if (bt.tSec().length > 0) {
            ReportCharts.line(p99, best.name(), minutes(bt.tSec()), floor1(bt.p99Ms()));
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
        if (bt.tSec().length > 0) {
            ReportCharts.steps(cost, best.name(), minutes(bt.tSec()), bt.costPerHour());
        }
        if (sx.length > 0) {
            ReportCharts.steps(cost, "static", sx, st.costPerHour());
        }
        h.image(ReportCharts.png(cost), "cost over time", null);
        if (sx.length > 0) {
            XYChart load = ReportCharts.timeline("Offered load (requests per second)", "rps");
            ReportCharts.line(load, "arrivals", sx, st.arrivalRps());
            h.image(ReportCharts.png(load), "offered load", "The same requests reach every run.");
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
        h.p(String.format(Locale.ROOT, "One decision per round, as published to sair.actions (decisions.jsonl holds them "
                + "verbatim): %d round decisions and %d fast-path (surge) decisions, listed below. Reward is the previous "
                + "round's decision, measured on this window. Rows over the SLA are red.", rows.size(), r.surges().size()));
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
        surges(h, r.surges());
        h.h2("Files");
        h.raw("<p><code>decisions.jsonl</code> every ScalingDecision as published; <code>rounds.csv</code> one line per round; "
                + (r.savepoint() == null ? "no savepoint was taken."
                : "learned state in the savepoint <code>" + Html.esc(r.savepoint()) + "</code> (read it with "
                + "<code>./sair state --savepoint PATH</code>).") + "</p>");
        return h.render();
    }

    /** The fast path's decisions between the rounds: when, what each stage was raised to, and why. */
    private static void surges(Html h, List<SurgeRow> surges) {
        h.h2("Fast path (surge) decisions");
        if (surges.isEmpty()) {
            h.p("None: between the rounds, no report period's demand outran what ran.");
            return;
        }
        h.p("Between the 30 s rounds the job looks at every 5 s report and, when demand outruns what runs, raises "
                + "capacity at once (selector surge on sair.actions); the plant applied each as it arrived. Time is the report "
                + "period's end in simulated time, applied when the plant read it (later when the job answered after the "
                + "period's short wait); p99 is that period's.");
        List<List<String>> table = new ArrayList<>();
        List<Boolean> bad = new ArrayList<>();
        for (SurgeRow surge : surges) {
            RoundRow s = surge.decision();
            table.add(List.of(String.valueOf(s.round()), clock(s.simMinutes()), clock(surge.appliedMinutes()), ms(s.p99Ms()),
                    s.decision(), targets(s), s.rationale()));
            bad.add(!s.slaMet());
        }
        h.table(List.of("round", "time", "applied", "p99", "decision", "stage targets", "rationale"), table, Set.of(4, 5, 6),
                bad, true);
    }

    /** Every stage's target after the decision: replicas, CPU, and the rate of a GPU stage. */
    static String targets(RoundRow r) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < r.stages().size(); i++) {
            Allocation a = r.next().get(i);
            String s = r.stages().get(i) + " " + a.replicas() + "x " + a.cpuMillis() + "m";
            parts.add(r.kinds().get(i) == StageKind.GPU ? s + String.format(Locale.ROOT, " @%.2f", a.rate()) : s);
        }
        return String.join(", ", parts);
    }

    private static final List<String> FIGURE_HEADER = List.of("", "setting", "requests", "p99 (all requests)",
            "within SLA", "mean cost per hour", "billable per 1k requests", "effective per 1k requests", "decisions");

    private static List<String> figures(RunFigures f, String setting) {
        return List.of(f.name(), setting, String.format(Locale.ROOT, "%,d", f.requests()), ms(f.p99Ms()),
                String.format(Locale.ROOT, "%.2f %%", f.withinSlaPct()), String.format(Locale.ROOT, "$%.3f", f.meanCostPerHour()),
                String.format(Locale.ROOT, "$%.4f", f.billableCostPer1k()), String.format(Locale.ROOT, "$%.4f", f.costPer1k()),
                String.valueOf(f.decisions()));
    }

    /** Simulated minutes as m:ss (a surge's report period ends on a 5 s mark). */
    static String clock(double minutes) {
        long sec = Math.round(minutes * 60);
        return String.format(Locale.ROOT, "%d:%02d", sec / 60, sec % 60);
    }

    private static double[] minutes(double[] seconds) {
        double[] out = seconds.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= 60.0;
        }
        return out;
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
