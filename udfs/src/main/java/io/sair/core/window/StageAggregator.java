package io.sair.core.window;

import io.sair.core.model.Allocation;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Folds validated StageMetrics of one stage and window into a {@link StageWindow}: counts are summed,
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
        if (m.queueDepth() != null) {
            // Only a report that read the queue says what it is: a partial one (the GPU agent's) is not a 0.
            String pod = m.pod() == null ? "" : m.pod();
            long q = m.queueDepth();
            Long newestTs = acc.lastQueueTs.get(pod);
            if (newestTs == null) {
                acc.firstQueue.put(pod, q);
                acc.firstInflow.put(pod, orZero(m.arrivals()) - orZero(m.completions()));
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
        long lastQ = acc.lastQueue.values().stream().mapToLong(Long::longValue).sum();
        long firstQ = acc.firstQueue.values().stream().mapToLong(Long::longValue).sum();
        // The queue readings span the window less its first report period; that period's arrivals minus
        // completions (what it added, in service included) fill the gap, so the growth covers the same
        // periods as the window's arrival and completion counts.
        long firstPeriod = acc.firstInflow.values().stream().mapToLong(Long::longValue).sum();
        return new StageWindow(acc.pipeline, acc.stage, acc.kind, windowStart, windowEnd, acc.reports,
                new Allocation(acc.replicas, acc.cpuMillis, acc.memoryMb, acc.gpuRate), acc.arrivals, acc.completions,
                lastQ, lastQ - firstQ + firstPeriod, acc.cpuUtilSum / Math.max(1, acc.cpuUtilReports), acc.memUtilPeak,
                acc.gpuUtilSum / Math.max(1, acc.gpuUtilReports),
                LatencyHistograms.percentileMs(lat, 50), LatencyHistograms.percentileMs(lat, 99),
                LatencyHistograms.percentileMs(e2e, 99), e2e.getTotalCount());
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
