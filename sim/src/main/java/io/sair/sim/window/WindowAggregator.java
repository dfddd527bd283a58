package io.sair.sim.window;

import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import io.sair.core.window.LatencyHistograms;
import org.HdrHistogram.Histogram;

/**
 * Builds the controller's PipelineContext from the StageMetrics of one window (pure: same reports,
 * same context). The simulator's in-process loop uses it; the Flink job's window functions can call
 * the same {@link #stage} and {@link #context} on their window contents.
 *
 * <ul>
 *   <li>counts (arrivals, completions) are summed; CPU/GPU utilisation averaged over the reports; memory
 *       utilisation is the highest report's (each report is its period's peak share of the limit, and a
 *       window with an OOM kill must not average it away: a memory recommender sizes from peaks);</li>
 *   <li>queue depth and the allocation are the last report's; queue growth is arrivals minus
 *       completions over the window (the change of the stage's backlog, in service included);</li>
 *   <li>latencies (samples and encoded histograms alike) are merged into one histogram for p50/p99;</li>
 *   <li>the pipeline's p99 is the last stage's end-to-end p99; a window in which nothing finished but
 *       work waits reports the window length (a lower bound on what waiting requests see);</li>
 *   <li>cost comes from {@link CostModel} on the reported allocations.</li>
 * </ul>
 */
public final class WindowAggregator {

    private WindowAggregator() {
    }

    /** The window (windowStart, windowEnd] of every stage of the spec; reports of other pipelines or times are ignored. */
    public static PipelineContext context(PipelineSpec spec, long windowStart, long windowEnd, List<StageMetrics> reports) {
        List<StageWindow> stages = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        double bill = 0;
        double eff = 0;
        Histogram e2e = LatencyHistograms.empty();
        boolean waiting = false;
        long firstArrivals = 0;
        for (int i = 0; i < spec.stages().size(); i++) {
            StageSpec s = spec.stages().get(i);
            List<StageMetrics> mine = new ArrayList<>();
            for (StageMetrics m : reports) {
                if (spec.name().equals(m.pipeline()) && s.name().equals(m.stage()) && m.ts() != null
                        && m.ts() > windowStart && m.ts() <= windowEnd) {
                    mine.add(m);
                }
            }
            if (mine.isEmpty()) {
                missing.add(s.name());
                continue;
            }
            StageWindow w = stage(spec.name(), s, windowStart, windowEnd, mine, e2e);
            stages.add(w);
            bill += CostModel.stageBillable(s, w.allocation(), spec.prices());
            eff += CostModel.stageEffective(s, w.allocation(), spec.prices());
            waiting |= w.queueDepth() > 0;
            if (i == 0) {
                firstArrivals = w.arrivals();
            }
        }
        double seconds = Math.max(1e-3, (windowEnd - windowStart) / 1000.0);
        double p99;
        if (e2e.getTotalCount() > 0) {
            p99 = LatencyHistograms.percentileMs(e2e, 99);
        } else {
            p99 = waiting ? windowEnd - windowStart : 0.0;
        }
        return new PipelineContext(spec.name(), windowEnd, stages, missing, p99, spec.slaP99Ms(), firstArrivals / seconds,
                bill, eff, CostModel.maxEffective(spec));
    }

    /**
     * One stage over the window from its reports; the end-to-end latencies it carries are added to
     * {@code e2eOut} (may be null).
     */
    public static StageWindow stage(String pipeline, StageSpec s, long windowStart, long windowEnd,
                                    List<StageMetrics> reports, Histogram e2eOut) {
        List<StageMetrics> rs = new ArrayList<>(reports);
        rs.sort(Comparator.comparingLong(StageMetrics::ts));
        StageMetrics lastReport = rs.get(rs.size() - 1);
        long arrivals = 0;
        long completions = 0;
        double cpu = 0;
        double memU = 0;
        double gpuU = 0;
        Histogram lat = LatencyHistograms.empty();
        Histogram e2e = LatencyHistograms.empty();
        for (StageMetrics m : rs) {
            arrivals += nz(m.arrivals());
            completions += nz(m.completions());
            cpu += nz(m.cpuUtil());
            memU = Math.max(memU, nz(m.memUtil()));
            gpuU += nz(m.gpuUtil());
            addLatencies(lat, m.latencyMs(), m.latencyHist());
            addLatencies(e2e, m.e2eLatencyMs(), m.e2eLatencyHist());
        }
        int n = rs.size();
        Allocation a = new Allocation(nz(lastReport.replicas()), nz(lastReport.cpuMillis()), nz(lastReport.memoryMb()),
                lastReport.gpuRate() == null ? 1.0 : lastReport.gpuRate());
        if (e2eOut != null) {
            e2eOut.add(e2e);
        }
        return new StageWindow(pipeline, s.name(), s.kind(), windowStart, windowEnd, n, a, arrivals, completions,
                nz(lastReport.queueDepth()), arrivals - completions, cpu / n, memU, gpuU / n,
                pct(lat, 50), pct(lat, 99), pct(e2e, 99),
                e2e.getTotalCount());
    }

    private static void addLatencies(Histogram into, List<Double> samples, String hist) {
        if (samples != null) {
            for (Double d : samples) {
                if (d != null && d >= 0 && !d.isInfinite()) {
                    LatencyHistograms.recordMs(into, d);
                }
            }
        }
        if (hist != null && !hist.isEmpty()) {
            into.add(LatencyHistograms.fromBase64(hist));
        }
    }

    private static double pct(Histogram h, double p) {
        return LatencyHistograms.percentileMs(h, p);
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    private static int nz(Integer v) {
        return v == null ? 0 : v;
    }

    private static double nz(Double v) {
        return v == null || v.isNaN() ? 0 : v;
    }
}
