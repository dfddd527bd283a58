package io.sair.sim.bench;

import io.sair.sim.AppProfiles;
import io.sair.sim.loop.RunResult;
import io.sair.sim.loop.Trajectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts like the paper's figures: P99 and normalised cost per setting, and per-app time series. */
public final class Charts {

    private Charts() {
    }

    public static void grid(List<RunResult> rs, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Set<String> cells = new LinkedHashSet<>();
        Set<String> scalers = new LinkedHashSet<>();
        for (RunResult r : rs) {
            cells.add(r.app() + "/" + r.pattern());
            scalers.add(r.autoscaler());
        }
        Map<String, Double> p99 = Summary.means(rs, RunResult::p99Ms);
        Map<String, Double> cost = Summary.means(rs, RunResult::effectiveCostPer1k);
        List<String> x = new ArrayList<>(cells);
        // XChart bar charts cannot use a log axis (bars start at 0), so the bars are log10(P99/SLA): 0 = at the SLA.
        CategoryChart pc = bar("P99 latency relative to the SLA (means over seeds; 0 = at the SLA, 1 = 10x over)",
                "log10(P99 / SLA)");
        CategoryChart cc = bar("Effective cost per 1k requests, normalised to static", "cost / static");
        for (String a : scalers) {
            List<Double> py = new ArrayList<>();
            List<Double> cy = new ArrayList<>();
            for (String cell : x) {
                String[] ap = cell.split("/");
                double sla = AppProfiles.get(ap[0]).spec().slaP99Ms();
                Double v = p99.get(Summary.key(ap[0], ap[1], a));
                py.add(v == null || !(v > 0) ? -3.0 : Math.log10(Math.max(0.001, v / sla)));
                Double c = cost.get(Summary.key(ap[0], ap[1], a));
                Double s = cost.get(Summary.key(ap[0], ap[1], "static"));
                double cv = c == null || !Double.isFinite(c) ? 0.0 : s == null || !(s > 0) ? c : c / s;
                cy.add(Double.isFinite(cv) ? cv : 0.0);
            }
            pc.addSeries(a, x, py);
            cc.addSeries(a, x, cy);
        }
        BitmapEncoder.saveBitmap(pc, dir.resolve("p99.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(cc, dir.resolve("cost.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        // Time series of seed 1 of each app's burst (or first) pattern.
        for (String app : new LinkedHashSet<>(rs.stream().map(RunResult::app).toList())) {
            String pattern = rs.stream().anyMatch(r -> r.app().equals(app) && r.pattern().equals("burst")) ? "burst"
                    : rs.stream().filter(r -> r.app().equals(app)).findFirst().orElseThrow().pattern();
            XYChart lat = line(app + " " + pattern + ", seed 1: window p99 (ms, log)", "p99 ms");
            lat.getStyler().setYAxisLogarithmic(true);
            XYChart pods = line(app + " " + pattern + ", seed 1: pods over all stages", "pods");
            for (RunResult r : rs) {
                if (r.app().equals(app) && r.pattern().equals(pattern) && r.seed() == 1 && r.trajectory() != null
                        && r.trajectory().size() > 0) {
                    Trajectory t = r.trajectory();
                    double[] p = t.p99Ms();
                    for (int i = 0; i < p.length; i++) {
                        p[i] = p[i] > 1 ? p[i] : 1;
                    }
                    lat.addSeries(r.autoscaler(), t.tSec(), p).setMarker(SeriesMarkers.NONE);
                    pods.addSeries(r.autoscaler(), t.tSec(), t.replicas()).setMarker(SeriesMarkers.NONE);
                }
            }
            if (!lat.getSeriesMap().isEmpty()) {
                BitmapEncoder.saveBitmap(lat, dir.resolve("timeline-" + app + "-p99.png").toString(),
                        BitmapEncoder.BitmapFormat.PNG);
                BitmapEncoder.saveBitmap(pods, dir.resolve("timeline-" + app + "-pods.png").toString(),
                        BitmapEncoder.BitmapFormat.PNG);
            }
        }
    }

    /**
     * Per cell, every autoscaler setting that ran as a point of (billable cost, share within the SLA), one
     * series per autoscaler and SAIR on its own: where SAIR sits against each baseline's frontier.
     * {@code frontier-<app>-<pattern>.png}; cells without SAIR are skipped.
     */
    public static void frontiers(List<RunResult> all, List<String> settings, List<String> apps, List<String> patterns,
                                 Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        for (String app : apps) {
            for (String pattern : patterns) {
                List<Frontier.Point> pts = Frontier.points(all, settings, app, pattern).stream()
                        .filter(p -> Double.isFinite(p.billablePer1k()) && Double.isFinite(p.withinSlaPct())).toList();
                if (pts.stream().noneMatch(p -> p.autoscaler().equals("sair")) || pts.size() < 2) {
                    continue;
                }
                XYChart c = new XYChartBuilder().width(1000).height(600)
                        .title(app + " " + pattern + ": share of requests within the SLA against billable cost")
                        .xAxisTitle("billable USD per 1k requests").yAxisTitle("% within SLA").build();
                c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
                c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                c.getStyler().setMarkerSize(9);
                for (String a : new LinkedHashSet<>(pts.stream().map(Frontier.Point::autoscaler).toList())) {
                    List<Frontier.Point> mine = pts.stream().filter(p -> p.autoscaler().equals(a)).toList();
                    XYSeries series = c.addSeries(a, mine.stream().map(Frontier.Point::billablePer1k).toList(),
                            mine.stream().map(Frontier.Point::withinSlaPct).toList());
                    if (a.equals("sair")) {
                        series.setMarker(SeriesMarkers.DIAMOND);
                    }
                }
                BitmapEncoder.saveBitmap(c, dir.resolve("frontier-" + app + "-" + pattern + ".png").toString(),
                        BitmapEncoder.BitmapFormat.PNG);
            }
        }
    }

    static CategoryChart bar(String title, String y) {
        CategoryChart c = new CategoryChartBuilder().width(1400).height(600).title(title).yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setXAxisLabelRotation(45);
        return c;
    }

    static XYChart line(String title, String y) {
        XYChart c = new XYChartBuilder().width(1200).height(500).title(title).xAxisTitle("simulated s").yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return c;
    }

    /** A simple two-bar-group chart for the ablation (goodput and p99 per configuration). */
    public static void ablation(List<String> configs, List<Double> goodput, List<Double> p99, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart g = bar("Ablation: goodput (requests/s within SLA)", "rps");
        g.addSeries("goodput", configs, goodput);
        CategoryChart p = bar("Ablation: P99 latency (ms)", "ms");
        p.addSeries("p99", configs, p99);
        BitmapEncoder.saveBitmap(g, dir.resolve("ablation-goodput.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(p, dir.resolve("ablation-p99.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
