package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One stage aggregated over one decision window (event time).
 *
 * @param queueGrowth queue depth at the end of the window minus at its start (positive: backlog builds)
 * @param gpuUtil GPU utilisation already normalised to the rate (busy share of the rate-limited budget)
 * @param e2eP99Ms end-to-end p99 seen at this stage (only the last stage reports it), NaN if none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageWindow(
        String pipeline,
        String stage,
        StageKind kind,
        long windowStart,
        long windowEnd,
        int reports,
        Allocation allocation,
        long arrivals,
        long completions,
        long queueDepth,
        long queueGrowth,
        double cpuUtil,
        double memUtil,
        double gpuUtil,
        double p50Ms,
        double p99Ms,
        double e2eP99Ms,
        long e2eCount) {

    public double windowSeconds() {
        return Math.max(1e-3, (windowEnd - windowStart) / 1000.0);
    }

    /** The utilisation that limits this stage: GPU busy share for GPU stages, CPU otherwise. */
    public double utilisation() {
        return kind == StageKind.GPU ? gpuUtil : cpuUtil;
    }
}
