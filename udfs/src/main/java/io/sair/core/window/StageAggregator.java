package io.sair.core.window;

import io.sair.core.model.Allocation;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Folds validated StageMetrics of one stage and window into a {@link StageWindow}: counts are summed
 * per pod, a report far out of line with its pod's others capped ({@link #robustSum}),
 * CPU and GPU utilisation averaged over the reports that carry them, memory utilisation the peak (an
 * OOM in the window must not be averaged away), queue depth summed over pods at their newest report
 * that read it, queue growth from each pod's first to its newest reading plus what its first report
 * period added (arrivals minus completions), latencies merged in histograms, the allocation taken from the newest report
 * that carries it and the GPU rate from the newest that carries one. Reports may be partial: the GPU
 * agent knows the rate and the GPU's utilisation, the application's exporter the rest.
 */
public final class StageAggregator {

    private StageAggregator() {
    }

    public static StageAccumulator add(StageMetrics m, StageAccumulator acc) {
        addAllButLatencies(m, acc);
        acc.latency = mergeInto(acc.latency, m.latencyMs(), m.latencyHist());
        acc.e2eLatency = mergeInto(acc.e2eLatency, m.e2eLatencyMs(), m.e2eLatencyHist());
        return acc;
    }

    /**
     * Everything {@link #add} folds but the latencies: for a caller that holds all of a window's reports
     * at once and merges their latencies into live histograms ({@link LatencyHistograms#add}) instead of
     * re-encoding the accumulator's bytes per report, then calls {@link #result(StageAccumulator, long,
     * long, Histogram, Histogram)}.
     */
    public static void addAllButLatencies(StageMetrics m, StageAccumulator acc) {
        if (acc.reports == 0) {
            acc.pipeline = m.pipeline();
            acc.stage = m.stage();
            acc.kind = m.kind();
        }
        acc.reports++;
        long ts = m.ts();
        acc.lastTs = Math.max(acc.lastTs, ts);
        if (m.replicas() != null && ts >= acc.allocationTs) {
            acc.allocationTs = ts;
            acc.replicas = m.replicas();
            acc.cpuMillis = orZero(m.cpuMillis());
            acc.memoryMb = orZero(m.memoryMb());
        }
        if (m.gpuRate() != null && ts >= acc.gpuRateTs) {
            acc.gpuRateTs = ts;
            acc.gpuRate = m.gpuRate();
        }
        acc.arrivals += orZero(m.arrivals());
        acc.completions += orZero(m.completions());
        // Only reports that counted: a partial one (the GPU agent's) is no 0 to set a pod's median by.
        if (m.arrivals() != null || m.completions() != null) {
            acc.podCounts.add(new PodCounts(m.pod() == null ? "" : m.pod(), m.arrivals(), m.completions()));
        }
        if (m.queueDepth() != null) {
            // Only a report that read the queue says what it is: a partial one (the GPU agent's) is not a 0.
            String pod = m.pod() == null ? "" : m.pod();
            long q = m.queueDepth();
            Long newestTs = acc.lastQueueTs.get(pod);
            if (newestTs == null) {
                acc.firstQueue.put(pod, q);
                // What the period before this first reading added, where the report says both what came and
                // what left; one that counts only one side (the lag reader's arrivals are the topic's growth, not
                // what the pods took from it) knows nothing of that growth, and its whole inflow is none of it.
                boolean both = m.arrivals() != null && m.completions() != null;
                acc.firstInflow.put(pod, both ? m.arrivals() - m.completions() : 0L);
            }
            if (newestTs == null || ts >= newestTs) {
                acc.lastQueue.put(pod, q);
                acc.lastQueueTs.put(pod, ts);
            }
        }
        if (m.cpuUtil() != null) {
            acc.cpuUtilSum += m.cpuUtil();
            acc.cpuUtilReports++;
        }
        if (m.gpuUtil() != null) {
            acc.gpuUtilSum += m.gpuUtil();
            acc.gpuUtilReports++;
        }
        acc.memUtilPeak = Math.max(acc.memUtilPeak, orZero(m.memUtil()));
    }

    public static StageAccumulator merge(StageAccumulator a, StageAccumulator b) {
        if (b.reports == 0) {
            return a;
        }
        if (a.reports == 0) {
            return b;
        }
        if (b.allocationTs >= a.allocationTs) {
            a.allocationTs = b.allocationTs;
            a.replicas = b.replicas;
            a.cpuMillis = b.cpuMillis;
            a.memoryMb = b.memoryMb;
        }
        if (b.gpuRateTs >= a.gpuRateTs) {
            a.gpuRateTs = b.gpuRateTs;
            a.gpuRate = b.gpuRate;
        }
        a.lastTs = Math.max(a.lastTs, b.lastTs);
        a.reports += b.reports;
        a.arrivals += b.arrivals;
        a.completions += b.completions;
        List<PodCounts> counts = new ArrayList<>(a.podCounts == null ? List.of() : a.podCounts);
        counts.addAll(b.podCounts == null ? List.of() : b.podCounts);
        a.podCounts = counts;
        for (Map.Entry<String, Long> e : b.firstQueue.entrySet()) {
            if (a.firstQueue.putIfAbsent(e.getKey(), e.getValue()) == null) {
                a.firstInflow.put(e.getKey(), b.firstInflow.getOrDefault(e.getKey(), 0L));
            }
        }
        for (Map.Entry<String, Long> e : b.lastQueue.entrySet()) {
            long bts = b.lastQueueTs.get(e.getKey());
            Long ats = a.lastQueueTs.get(e.getKey());
            if (ats == null || bts >= ats) {
                a.lastQueue.put(e.getKey(), e.getValue());
                a.lastQueueTs.put(e.getKey(), bts);
            }
        }
        a.cpuUtilSum += b.cpuUtilSum;
        a.cpuUtilReports += b.cpuUtilReports;
        a.gpuUtilSum += b.gpuUtilSum;
        a.gpuUtilReports += b.gpuUtilReports;
        a.memUtilPeak = Math.max(a.memUtilPeak, b.memUtilPeak);
        a.latency = mergeBytes(a.latency, b.latency);
        a.e2eLatency = mergeBytes(a.e2eLatency, b.e2eLatency);
        return a;
    }

    public static StageWindow result(StageAccumulator acc, long windowStart, long windowEnd) {
        return result(acc, windowStart, windowEnd, decodeOrEmpty(acc.latency), decodeOrEmpty(acc.e2eLatency));
    }

    /** The stage's window from an accumulator whose latencies were merged into {@code lat} and {@code e2e}. */
    public static StageWindow result(StageAccumulator acc, long windowStart, long windowEnd, Histogram lat, Histogram e2e) {
        double[] p50p99 = LatencyHistograms.percentilesMs(lat, 50, 99);
        return result(acc, windowStart, windowEnd, p50p99[0], p50p99[1], LatencyHistograms.percentilesMs(e2e, 99)[0],
                e2e.getTotalCount());
    }

    /** The stage's window from an accumulator and its latencies' percentiles (ms, NaN for none). */
    public static StageWindow result(StageAccumulator acc, long windowStart, long windowEnd, double p50Ms, double p99Ms,
                                     double e2eP99Ms, long e2eCount) {
        long lastQ = sum(acc.lastQueue);
        long firstQ = sum(acc.firstQueue);
        // The queue readings span the window less its first report period; that period's arrivals minus
        // completions (what it added, in service included) fill the gap, so the growth covers the same
        // periods as the window's arrival and completion counts.
        long firstPeriod = sum(acc.firstInflow);
        return new StageWindow(acc.pipeline, acc.stage, acc.kind, windowStart, windowEnd, acc.reports,
                new Allocation(acc.replicas, acc.cpuMillis, acc.memoryMb, acc.gpuRate),
                windowCount(acc.podCounts, PodCounts::arrivals, acc.arrivals),
                windowCount(acc.podCounts, PodCounts::completions, acc.completions),
                lastQ, lastQ - firstQ + firstPeriod, acc.cpuUtilSum / Math.max(1, acc.cpuUtilReports), acc.memUtilPeak,
                acc.gpuUtilSum / Math.max(1, acc.gpuUtilReports),
                p50Ms, p99Ms, e2eP99Ms, e2eCount);
    }

    /** A plain loop: windows close by thousands at once, and a stream per sum cost more than the sum. */
    private static long sum(Map<String, Long> perPod) {
        long total = 0;
        for (long v : perPod.values()) {
            total += v;
        }
        return total;
    }

    /**
     * {@link #robustSum} of the reports' {@code field}. With at most three reports no pod has a line to be out of
     * (a cap needs three others), so the sum is plain: the common case of a short window, taken without
     * grouping by pod.
     */
    static long windowCount(List<PodCounts> counts, Function<PodCounts, Long> field, long plainSum) {
        if (counts == null || counts.size() > 3) {
            return robustSum(perPod(counts, field), plainSum);
        }
        long raw = 0;
        boolean any = false;
        for (PodCounts c : counts) {
            Long v = field.apply(c);
            if (v != null) {
                any = true;
                raw = saturatedAdd(raw, v);
            }
        }
        return any ? saturatedAdd(raw, Math.max(0, plainSum - raw)) : plainSum;
    }

    /**
     * How far one report may stand above the median of its pod's other reports in the window before it is
     * capped there: a burst that triples the load or a drain after a scale-up stays well within it.
     */
    static final long OUT_OF_LINE = 8;

    /**
     * The window's count, summed per pod, where a report out of line with its pod's other reports (at
     * least {@link #OUT_OF_LINE} times their median, with three or more of them and a median above 0)
     * counts as that cap: it weighs once, like any other report, instead of multiplying the window. A pod
     * with fewer reports, or idle until now, has no line to be out of; the checks' physical bounds hold
     * it. {@code plainSum} counts for accumulators restored from before per-pod counts were kept.
     */
    static long robustSum(Map<String, List<Long>> perPod, long plainSum) {
        if (perPod == null || perPod.isEmpty()) {
            return plainSum;
        }
        long total = 0;
        long raw = 0;
        for (List<Long> reports : perPod.values()) {
            long[] sorted = reports.stream().mapToLong(Long::longValue).sorted().toArray();
            for (int i = 0; i < sorted.length; i++) {
                raw = saturatedAdd(raw, sorted[i]);
                total = saturatedAdd(total, Math.min(sorted[i], capAmongOthers(sorted, i)));
            }
        }
        // A window restored from before per-pod counts were kept: its earlier reports count as they were.
        return saturatedAdd(total, Math.max(0, plainSum - raw));
    }

    /** The cap on {@code sorted[i]} set by the other reports of its pod; MAX_VALUE where there is none. */
    private static long capAmongOthers(long[] sorted, int i) {
        int others = sorted.length - 1;
        if (others < 3) {
            return Long.MAX_VALUE;
        }
        // The median of the others: the array without index i, at its middle (the lower middle when even).
        int mid = (others - 1) / 2;
        long median = sorted[mid < i ? mid : mid + 1];
        return median <= 0 ? Long.MAX_VALUE : saturatedMultiply(median, OUT_OF_LINE);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatedMultiply(long a, long b) {
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /** One count of each report, grouped by pod; reports that did not carry it left out. */
    static Map<String, List<Long>> perPod(List<PodCounts> counts, Function<PodCounts, Long> field) {
        Map<String, List<Long>> out = new HashMap<>();
        for (PodCounts c : counts == null ? List.<PodCounts>of() : counts) {
            Long v = field.apply(c);
            if (v != null) {
                out.computeIfAbsent(c.pod(), k -> new ArrayList<>()).add(v);
            }
        }
        return out;
    }

    private static byte[] mergeInto(byte[] current, java.util.List<Double> samples, String b64) {
        if ((samples == null || samples.isEmpty()) && b64 == null) {
            return current;
        }
        Histogram h = decodeOrEmpty(current);
        LatencyHistograms.add(h, samples, b64);
        return LatencyHistograms.encode(h);
    }

    private static Histogram decodeOrEmpty(byte[] bytes) {
        return bytes == null ? LatencyHistograms.empty() : LatencyHistograms.decode(bytes);
    }

    private static byte[] mergeBytes(byte[] a, byte[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        Histogram h = LatencyHistograms.decode(a);
        h.add(LatencyHistograms.decode(b));
        return LatencyHistograms.encode(h);
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static double orZero(Double v) {
        return v == null || !Double.isFinite(v) ? 0.0 : v;
    }
}
