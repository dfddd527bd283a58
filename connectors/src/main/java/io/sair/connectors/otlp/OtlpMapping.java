package io.sair.connectors.otlp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.sair.core.model.Json;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How OTLP metrics become StageMetrics: which resource attributes name the pipeline, stage, pod and
 * stage kind (the first one set wins), and which metrics carry each field (any of the names listed).
 * Every list defaults to OpenTelemetry semantic conventions (and the receivers of the Collector that
 * emit them) plus a {@code sair.*} name for what no convention covers; a field given in JSON replaces
 * its default list, so {@code []} switches a field off. Metrics named in no list are not SAIR's and are
 * skipped; a data point of a listed metric that cannot be used is dead-lettered with its reason.
 *
 * @param pipeline resource attributes naming the pipeline
 * @param stage resource attributes naming the stage (e.g. {@code k8s.deployment.name} as the k8s_cluster
 *              receiver sets it for Deployment-level metrics, {@code service.name} for an SDK)
 * @param pod resource attributes naming the pod (reports are counted per pod)
 * @param kind resource attributes giving the stage kind ({@code cpu}/{@code gpu}); none set: {@code defaultKind}
 * @param arrivals monotonic sums (delta or cumulative) of requests that arrived
 * @param completions monotonic sums of requests done; none in an export: the count of its latency histogram
 *                    when {@code completionsFromLatency}
 * @param latency histograms (explicit or exponential buckets) of the stage's request latency, unit s/ms/us/ns
 * @param e2eLatency histograms of end-to-end latency (on the last stage)
 * @param queueDepth gauges or up-down sums of waiting requests (summed over a pod's series, e.g. partitions)
 * @param cpuUtilization gauges of CPU use as a share of the limit (0..1)
 * @param cpuUsage gauges of CPU use in cores, divided by {@code cpuLimit} of the same export
 * @param cpuLimit gauges of the CPU limit in cores (also the report's cpuMillis)
 * @param memoryUtilization gauges of memory use as a share of the limit (0..1)
 * @param memoryUsage gauges of memory use in bytes, divided by {@code memoryLimit} of the same export
 * @param memoryLimit gauges of the memory limit in bytes (also the report's memoryMb)
 * @param replicas gauges of the stage's running replicas (the report then says what runs)
 * @param maxSeries cumulative series remembered per source reader (least recently seen forgotten first)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OtlpMapping(List<String> pipeline, List<String> stage, List<String> pod, List<String> kind,
                          String defaultKind, List<String> arrivals, List<String> completions,
                          Boolean completionsFromLatency, List<String> latency, List<String> e2eLatency,
                          List<String> queueDepth, List<String> cpuUtilization, List<String> cpuUsage,
                          List<String> cpuLimit, List<String> memoryUtilization, List<String> memoryUsage,
                          List<String> memoryLimit, List<String> replicas, Integer maxSeries)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public OtlpMapping {
        pipeline = or(pipeline, "sair.pipeline", "service.namespace");
        stage = or(stage, "sair.stage", "k8s.deployment.name", "service.name");
        pod = or(pod, "k8s.pod.name", "service.instance.id");
        kind = or(kind, "sair.stage.kind");
        defaultKind = defaultKind == null ? "cpu" : defaultKind;
        arrivals = or(arrivals, "sair.arrivals", "messaging.client.consumed.messages");
        completions = or(completions, "sair.completions");
        completionsFromLatency = completionsFromLatency == null || completionsFromLatency;
        latency = or(latency, "http.server.request.duration", "rpc.server.duration", "sair.latency");
        e2eLatency = or(e2eLatency, "sair.e2e.duration");
        queueDepth = or(queueDepth, "sair.queue.depth", "kafka.consumer_group.lag");
        cpuUtilization = or(cpuUtilization, "k8s.pod.cpu_limit_utilization", "k8s.pod.cpu.utilization",
                "k8s.container.cpu_limit_utilization");
        cpuUsage = or(cpuUsage, "container.cpu.usage", "k8s.pod.cpu.usage");
        cpuLimit = or(cpuLimit, "k8s.container.cpu_limit");
        memoryUtilization = or(memoryUtilization, "k8s.pod.memory_limit_utilization",
                "k8s.container.memory_limit_utilization");
        memoryUsage = or(memoryUsage, "container.memory.usage", "k8s.pod.memory.usage");
        memoryLimit = or(memoryLimit, "k8s.container.memory_limit");
        replicas = or(replicas, "k8s.deployment.available", "sair.replicas");
        maxSeries = maxSeries == null ? 100_000 : maxSeries;
    }

    /** Every default. */
    public static OtlpMapping defaults() {
        return new OtlpMapping(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    /** A mapping from its JSON form; fields left out keep their defaults. Throws IllegalArgumentException naming the problem. */
    public static OtlpMapping fromJson(String json) {
        OtlpMapping m = Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), OtlpMapping.class);
        List<String> p = m.problems();
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("OTLP mapping: " + String.join("; ", p));
        }
        return m;
    }

    /** Problems, each naming its field; empty when usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (pipeline.isEmpty()) {
            p.add("pipeline: at least one resource attribute is needed");
        }
        if (stage.isEmpty()) {
            p.add("stage: at least one resource attribute is needed");
        }
        if (!defaultKind.equals("cpu") && !defaultKind.equals("gpu")) {
            p.add("defaultKind: cpu or gpu");
        }
        if (maxSeries < 1) {
            p.add("maxSeries: must be positive");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (List<String> names : fieldLists()) {
            for (String n : names) {
                if (!seen.add(n)) {
                    p.add("metric '" + n + "' is mapped to two fields");
                }
            }
        }
        return p;
    }

    private List<List<String>> fieldLists() {
        return List.of(arrivals, completions, latency, e2eLatency, queueDepth, cpuUtilization, cpuUsage, cpuLimit,
                memoryUtilization, memoryUsage, memoryLimit, replicas);
    }

    /** The field a metric feeds, or null for a metric this mapping does not use. */
    Field fieldOf(String metric) {
        Field[] fields = Field.values();
        List<List<String>> lists = fieldLists();
        for (int i = 0; i < fields.length; i++) {
            if (lists.get(i).contains(metric)) {
                return fields[i];
            }
        }
        return null;
    }

    /** What a mapped metric feeds; in the order of {@link #fieldLists()}. */
    enum Field {
        ARRIVALS, COMPLETIONS, LATENCY, E2E_LATENCY, QUEUE_DEPTH, CPU_UTILIZATION, CPU_USAGE, CPU_LIMIT,
        MEMORY_UTILIZATION, MEMORY_USAGE, MEMORY_LIMIT, REPLICAS
    }

    private static List<String> or(List<String> given, String... defaults) {
        return given == null ? List.of(defaults) : List.copyOf(given);
    }
}
