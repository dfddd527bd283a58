package io.sair.gpuagent;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Prometheus view of the shims, summed per workload, read at scrape time. */
public final class ShimCollector extends Collector {
    private static final List<String> LABELS = List.of("workload");

    private final Supplier<List<ShimStats>> source;

    public ShimCollector(Supplier<List<ShimStats>> source) {
        this.source = source;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        GaugeMetricFamily rate = new GaugeMetricFamily("sair_gpu_rate", "GPU rate ratio rho in force", LABELS);
        GaugeMetricFamily procs = new GaugeMetricFamily("sair_gpu_processes", "Shim-loaded processes", LABELS);
        CounterMetricFamily launches = new CounterMetricFamily("sair_gpu_launches", "Kernel launches", LABELS);
        CounterMetricFamily blocks = new CounterMetricFamily("sair_gpu_blocks", "Thread blocks launched", LABELS);
        CounterMetricFamily throttled = new CounterMetricFamily("sair_gpu_throttled_seconds",
                "Time launches waited in the throttle, summed over threads", LABELS);
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (ShimStats s : source.get()) {
            double[] v = sums.computeIfAbsent(s.workload(), w -> new double[5]);
            v[0] = Math.max(v[0], s.rate());
            v[1] += 1;
            v[2] += s.launches();
            v[3] += s.blocks();
            v[4] += s.throttledNs() / 1e9;
        }
        sums.forEach((workload, v) -> {
            List<String> l = List.of(workload);
            rate.addMetric(l, v[0]);
            procs.addMetric(l, v[1]);
            launches.addMetric(l, v[2]);
            blocks.addMetric(l, v[3]);
            throttled.addMetric(l, v[4]);
        });
        return new ArrayList<>(List.of(rate, procs, launches, blocks, throttled));
    }
}
