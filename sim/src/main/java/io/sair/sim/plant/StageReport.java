package io.sair.sim.plant;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import java.util.List;

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

    private long arrivals;
    private long completions;
    private double memPeak;
    private final PeriodLatencies lat;
    private final PeriodLatencies e2e;
    /** False when nothing reads the reports' latencies (see {@link PipelinePlant#reportLatencies}). */
    boolean latencies = true;

    StageReport(String pipeline, StageSpec stage, boolean gpu, boolean last, int sampleLimit) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.gpu = gpu;
        this.last = last;
        this.lat = new PeriodLatencies(sampleLimit);
        this.e2e = new PeriodLatencies(sampleLimit);
    }

    void arrival() {
        arrivals++;
    }

    /** A request finished its work here after {@code stageMs} in the stage (queue and service). */
    void served(double stageMs) {
        if (latencies) {
            lat.add(stageMs);
        }
        completions++;
    }

    /** A request left the pipeline (last stage only) after {@code e2eMs}. */
    void left(double e2eMs) {
        if (latencies) {
            e2e.add(e2eMs);
        }
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
        List<Double> latList = lat.isEmpty() ? List.of() : lat.samples();
        String latHist = lat.histogram();
        List<Double> e2eList = null;
        String e2eHist = null;
        if (last) {
            e2eList = e2e.isEmpty() ? List.of() : e2e.samples();
            e2eHist = e2e.histogram();
        }
        StageMetrics sm = new StageMetrics(StageMetrics.VERSION, pipeline, stage.name(), null, ts, stage.kind(),
                pods.replicas, pods.cpu, pods.mem, gpu ? pods.rate : null, arrivals, completions, queued,
                gpu ? null : util, memU, gpu ? util : null, latList,
                latHist, e2eList, e2eHist);
        lat.reset();
        e2e.reset();
        arrivals = 0;
        completions = 0;
        ledger.startPeriod();
        return sm;
    }
}
