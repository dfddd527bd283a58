package io.sair.gpuagent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every period turns the shims' counters into one GPU StageMetrics record per {@code pipeline/stage/pod}
 * workload. gpuUtil = blocks in the period / (capacity x rho x period): the used fraction of the rate-limited
 * budget. Capacity is fixed by option, or learned per workload as the highest unthrottled block throughput it
 * has shown, blocks / (period - time held by the shim), decaying slowly so it can follow a change of device.
 */
public final class MetricsPublisher {
    static final double CAPACITY_DECAY = 0.99;

    private final Supplier<List<ShimStats>> source;
    private final RecordSink sink;
    private final Clock clock;
    private final double fixedCapacity;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, ShimStats> previous = new HashMap<>();
    private final Map<String, Double> capacity = new HashMap<>();
    private long lastMillis = -1;

    /** fixedCapacity: device blocks/s, or 0 to learn it per workload. */
    public MetricsPublisher(Supplier<List<ShimStats>> source, RecordSink sink, Clock clock, double fixedCapacity) {
        this.source = source;
        this.sink = sink;
        this.clock = clock;
        this.fixedCapacity = fixedCapacity;
    }

    /** One reporting period; the first call only takes the baseline. Returns what was sent. */
    public synchronized List<GpuStageMetrics> publishOnce() {
        long now = clock.millis();
        List<ShimStats> current = source.get();
        Map<String, Totals> byWorkload = new LinkedHashMap<>();
        for (ShimStats s : current) {
            ShimStats before = previous.get(s.id());
            Totals t = byWorkload.computeIfAbsent(s.workload(), w -> new Totals());
            t.rate = Math.max(t.rate, s.rate());
            if (before != null && s.launches() >= before.launches()) {
                t.launches += s.launches() - before.launches();
                t.blocks += s.blocks() - before.blocks();
                t.throttledNs += s.throttledNs() - before.throttledNs();
            }
        }
        previous.clear();
        current.forEach(s -> previous.put(s.id(), s));
        double seconds = lastMillis < 0 ? 0 : (now - lastMillis) / 1000.0;
        lastMillis = now;
        List<GpuStageMetrics> sent = new ArrayList<>();
        if (seconds <= 0) {
            return sent;
        }
        for (Map.Entry<String, Totals> e : byWorkload.entrySet()) {
            Optional<WorkloadId> id = WorkloadId.parse(e.getKey());
            if (id.isEmpty()) {
                continue;
            }
            Totals t = e.getValue();
            double util = utilisation(e.getKey(), t, seconds);
            GpuStageMetrics m = GpuStageMetrics.of(id.get(), now, t.rate, util, t.launches, t.blocks);
            try {
                sink.send(id.get().pipeline(), json.writeValueAsString(m));
                sent.add(m);
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        capacity.keySet().retainAll(byWorkload.keySet());
        return sent;
    }

    /** Blocks used / (capacity x rho x period), in [0, 1]. */
    static double utilisation(double blocks, double capacityPerSec, double rate, double seconds) {
        if (capacityPerSec <= 0 || rate <= 0 || seconds <= 0) {
            return 0;
        }
        return Math.min(1.0, blocks / (capacityPerSec * rate * seconds));
    }

    private double utilisation(String workload, Totals t, double seconds) {
        if (fixedCapacity > 0) {
            return utilisation(t.blocks, fixedCapacity, t.rate, seconds);
        }
        double held = Math.min(t.throttledNs / 1e9, 0.95 * seconds);
        double sample = t.blocks / (seconds - held);
        double learned = Math.max(sample, capacity.getOrDefault(workload, 0.0) * CAPACITY_DECAY);
        capacity.put(workload, learned);
        return utilisation(t.blocks, learned, t.rate, seconds);
    }

    private static final class Totals {
        double rate;
        long launches;
        long blocks;
        long throttledNs;
    }
}
