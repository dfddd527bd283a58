package io.sair.core.window;

import io.sair.core.model.Allocation;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Folds validated StageMetrics of one stage and window into a {@link StageWindow}: counts are summed,
 * utilisations averaged over reports, queue depth summed over pods (first and last report each, for
 * the growth), latencies merged in histograms, and the allocation taken from the newest report.
 */
public final class StageAggregator {

    private StageAggregator() {
    }

    public static StageAccumulator add(StageMetrics m, StageAccumulator acc) {
        if (acc.reports == 0) {
            acc.pipeline = m.pipeline();
            acc.stage = m.stage();
            acc.kind = m.kind();
        }
        acc.reports++;
        long ts = m.ts();
        if (ts >= acc.lastTs) {
            acc.lastTs = ts;
            acc.replicas = m.replicas();
            acc.cpuMillis = orZero(m.cpuMillis());
            acc.memoryMb = orZero(m.memoryMb());
            acc.gpuRate = m.gpuRate() == null ? 1.0 : m.gpuRate();
        }
        acc.arrivals += orZero(m.arrivals());
        acc.completions += orZero(m.completions());
        String pod = m.pod() == null ? "" : m.pod();
        long q = orZero(m.queueDepth());
        Long firstTs = acc.lastQueueTs.get(pod);
        if (firstTs == null) {
            acc.firstQueue.put(pod, q);
        }
        if (firstTs == null || ts >= firstTs) {
            acc.lastQueue.put(pod, q);
            acc.lastQueueTs.put(pod, ts);
        }
        acc.cpuUtilSum += orZero(m.cpuUtil());
        acc.memUtilSum += orZero(m.memUtil());
        acc.gpuUtilSum += orZero(m.gpuUtil());
        acc.latency = mergeInto(acc.latency, m.latencyMs(), m.latencyHist());
        acc.e2eLatency = mergeInto(acc.e2eLatency, m.e2eLatencyMs(), m.e2eLatencyHist());
        return acc;
    }

    public static StageAccumulator merge(StageAccumulator a, StageAccumulator b) {
        if (b.reports == 0) {
            return a;
        }
        if (a.reports == 0) {
            return b;
        }
        StageAccumulator newer = b.lastTs >= a.lastTs ? b : a;
        a.replicas = newer.replicas;
        a.cpuMillis = newer.cpuMillis;
        a.memoryMb = newer.memoryMb;
        a.gpuRate = newer.gpuRate;
        a.lastTs = Math.max(a.lastTs, b.lastTs);
        a.reports += b.reports;
        a.arrivals += b.arrivals;
        a.completions += b.completions;
        for (Map.Entry<String, Long> e : b.firstQueue.entrySet()) {
            a.firstQueue.putIfAbsent(e.getKey(), e.getValue());
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
        a.memUtilSum += b.memUtilSum;
        a.gpuUtilSum += b.gpuUtilSum;
        a.latency = mergeBytes(a.latency, b.latency);
        a.e2eLatency = mergeBytes(a.e2eLatency, b.e2eLatency);
        return a;
    }

    public static StageWindow result(StageAccumulator acc, long windowStart, long windowEnd) {
        int n = Math.max(1, acc.reports);
        long lastQ = acc.lastQueue.values().stream().mapToLong(Long::longValue).sum();
        long firstQ = acc.firstQueue.values().stream().mapToLong(Long::longValue).sum();
        Histogram lat = acc.latency == null ? LatencyHistograms.empty() : LatencyHistograms.decode(acc.latency);
        Histogram e2e = acc.e2eLatency == null ? LatencyHistograms.empty() : LatencyHistograms.decode(acc.e2eLatency);
        return new StageWindow(acc.pipeline, acc.stage, acc.kind, windowStart, windowEnd, acc.reports,
                new Allocation(acc.replicas, acc.cpuMillis, acc.memoryMb, acc.gpuRate), acc.arrivals, acc.completions,
                lastQ, lastQ - firstQ, acc.cpuUtilSum / n, acc.memUtilSum / n, acc.gpuUtilSum / n,
                LatencyHistograms.percentileMs(lat, 50), LatencyHistograms.percentileMs(lat, 99),
                LatencyHistograms.percentileMs(e2e, 99), e2e.getTotalCount());
    }

    private static byte[] mergeInto(byte[] current, java.util.List<Double> samples, String b64) {
        if ((samples == null || samples.isEmpty()) && b64 == null) {
            return current;
        }
        Histogram h = current == null ? LatencyHistograms.empty() : LatencyHistograms.decode(current);
        if (samples != null) {
            samples.forEach(v -> LatencyHistograms.recordMs(h, v == null ? -1 : v));
        }
        if (b64 != null) {
            h.add(LatencyHistograms.fromBase64(b64));
        }
        return LatencyHistograms.encode(h);
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
