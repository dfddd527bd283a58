package io.sair.gpuagent;

/**
 * The StageMetrics record the agent publishes to {@code sair.metrics} (field names are the contract
 * of DESIGN.md section 4). {@code launches} and {@code blocks} count the reporting period.
 */
public record GpuStageMetrics(
        String pipeline,
        String stage,
        String pod,
        long ts,
        String kind,
        double gpuRate,
        double gpuUtil,
        long launches,
        long blocks,
        String source,
        int v) {

    public static final int VERSION = 1;

    public static GpuStageMetrics of(WorkloadId id, long ts, double gpuRate, double gpuUtil, long launches, long blocks) {
        return new GpuStageMetrics(id.pipeline(), id.stage(), id.pod(), ts, "gpu", gpuRate, gpuUtil, launches, blocks,
                "gpu-agent", VERSION);
    }
}
