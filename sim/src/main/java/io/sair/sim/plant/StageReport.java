package io.sair.sim.plant;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.window.LatencyHistograms;
import io.sair.core.window.SampleList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One stage's report period: arrivals, completions, latencies and the memory peak since the last
 * report, emitted as a StageMetrics record. A period with few latencies reports them as samples, a busier
 * one as a histogram; the last stage also reports the end-to-end latencies of the requests that left.
 */
final class StageReport {

    private final String pipeline;
    private final StageSpec stage;
    private final boolean gpu;
    private final boolean last;
    private final int sampleLimit;

    private long arrivals;
    private long completions;
    private double memPeak;
    private final Histogram lat = LatencyHistograms.empty();
    private double[] latSamples = new double[64];
    private int latN;
    private final Histogram e2e = LatencyHistograms.empty();
    private double[] e2eSamples = new double[64];
    private int e2eN;

    StageReport(String pipeline, StageSpec stage, boolean gpu, boolean last, int sampleLimit) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.gpu = gpu;
        this.last = last;
        this.sampleLimit = sampleLimit;
    }

    void arrival() {
        arrivals++;
    }

    /** A request finished its work here after {@code stageMs} in the stage (queue and service). */
    void served(double stageMs) {
        LatencyHistograms.recordMs(lat, stageMs);
        latSamples = add(latSamples, latN++, stageMs);
        completions++;
    }

    /** A request left the pipeline (last stage only) after {@code e2eMs}. */
    void left(double e2eMs) {
        LatencyHistograms.recordMs(e2e, e2eMs);
        e2eSamples = add(e2eSamples, e2eN++, e2eMs);
    }

    /** A batch starting on a pod brings it to {@code share} of its memory limit (above 1: an OOM). */
    void memoryShare(double share) {
        if (share > memPeak) {
            memPeak = Math.min(1.0, share);
        }
    }

    /** Ends the period: its record, then counters, latencies and the ledger's period integrals start over. */
    StageMetrics emit(long ts, Pods pods, long queued, StageLedger ledger) {
        double util = ledger.utilisation(queued);
        // Memory is reported as the period's peak share of the limit (1.0 when a pod went over it): what a
        // memory recommender needs, and what keeps a memory cut above the working set.
        double memU = Math.max(memPeak, ledger.meanMemShare());
        memPeak = pods.currentMemShare();
        List<Double> latList = null;
        String latHist = null;
        if (latN > 0 && latN <= sampleLimit) {
            latList = samples(latSamples, latN);
        } else if (latN > 0) {
            latHist = LatencyHistograms.toBase64(lat);
        }
        List<Double> e2eList = null;
        String e2eHist = null;
        if (last) {
            if (e2eN > 0 && e2eN <= sampleLimit) {
                e2eList = samples(e2eSamples, e2eN);
            } else if (e2eN > 0) {
                e2eHist = LatencyHistograms.toBase64(e2e);
            } else {
                e2eList = List.of();
            }
        }
        StageMetrics sm = new StageMetrics(StageMetrics.VERSION, pipeline, stage.name(), null, ts, stage.kind(),
                pods.replicas, pods.cpu, pods.mem, gpu ? pods.rate : null, arrivals, completions, queued,
                gpu ? null : util, memU, gpu ? util : null, latList == null && latHist == null ? List.of() : latList,
                latHist, e2eList, e2eHist);
        if (latN > 0) {
            lat.reset();
        }
        if (e2eN > 0) {
            e2e.reset();
        }
        latN = 0;
        e2eN = 0;
        arrivals = 0;
        completions = 0;
        ledger.startPeriod();
        return sm;
    }

    private double[] add(double[] arr, int i, double v) {
        if (i < arr.length) {
            arr[i] = v;
            return arr;
        }
        if (arr.length > sampleLimit) {
            return arr; // past the limit the period reports a histogram; samples are not needed
        }
        double[] n = Arrays.copyOf(arr, arr.length * 2);
        n[i] = v;
        return n;
    }

    /** The period's samples as a report carries them, in ms to two decimals. */
    private static List<Double> samples(double[] a, int n) {
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = Math.round(a[i] * 100.0) / 100.0;
        }
        return new SampleList(b);
    }
}
