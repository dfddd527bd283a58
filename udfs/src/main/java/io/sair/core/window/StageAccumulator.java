package io.sair.core.window;

import io.sair.core.model.StageKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Running aggregate of one stage's reports within a window. A plain POJO (public fields, no-arg
 * constructor) so Flink keeps it in state without Kryo; the logic is in {@link StageAggregator}.
 */
public class StageAccumulator {
    public String pipeline;
    public String stage;
    public StageKind kind;
    public int reports;
    /** Timestamp of the newest report: its allocation is what ran at the end of the window. */
    public long lastTs = Long.MIN_VALUE;
    public int replicas;
    public int cpuMillis;
    public int memoryMb;
    public double gpuRate = 1.0;
    public long arrivals;
    public long completions;
    /** Queue depth per pod: at its first and at its newest report in the window. */
    public Map<String, Long> firstQueue = new HashMap<>();
    public Map<String, Long> lastQueue = new HashMap<>();
    public Map<String, Long> lastQueueTs = new HashMap<>();
    /** Arrivals minus completions of each pod's first queue-reading report: the growth before that reading. */
    public Map<String, Long> firstInflow = new HashMap<>();
    /**
     * Each report's arrivals and completions with its pod: the window's counts are summed from these with a
     * report far out of line with its pod's others capped (see {@link StageAggregator#robustSum}). Empty
     * in accumulators restored from before they were kept, whose plain sums {@link #arrivals} and
     * {@link #completions} then count.
     */
    public List<PodCounts> podCounts = new ArrayList<>();
    public double cpuUtilSum;
    public double memUtilPeak;
    public double gpuUtilSum;
    /** Reports that carried each utilisation: a partial report (the GPU agent's) leaves the others alone. */
    public int cpuUtilReports;
    public int gpuUtilReports;
    /** Event time of the newest report that said what runs (replicas, CPU, memory); MIN_VALUE: none yet. */
    public long allocationTs = Long.MIN_VALUE;
    /** Event time of the newest report that carried the GPU rate. */
    public long gpuRateTs = Long.MIN_VALUE;
    /** Compressed HdrHistogram bytes (see {@link LatencyHistograms}); null while empty. */
    public byte[] latency;
    public byte[] e2eLatency;

    public StageAccumulator() {
    }
}
