package io.sair.connectors.k8smetrics;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sair.connectors.actuate.Retry;
import io.sair.connectors.k8s.StagePods;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads CPU and memory from the Kubernetes metrics API ({@code metrics.k8s.io}, what {@code kubectl top} and
 * the paper's implementation read) for every pod of every stage with a Kubernetes target: one partial
 * StageMetrics per pod and poll with {@code cpuUtil} and {@code memUtil}, shares of the pod's limits.
 * Nothing else is said; the window averages CPU over the reports that carry it and takes memory's peak.
 */
public final class PodMetricsReader {

    private static final Logger LOG = LoggerFactory.getLogger(PodMetricsReader.class);

    private final KubernetesClient client;
    private final Supplier<List<PipelineSpec>> specs;
    private final Clock clock;
    private final Retry retry;

    public PodMetricsReader(KubernetesClient client, Supplier<List<PipelineSpec>> specs, Clock clock, Retry retry) {
        this.client = client;
        this.specs = specs;
        this.clock = clock;
        this.retry = retry;
    }

    /** One poll; a stage whose pods or readings cannot be read is logged and left out of this poll. */
    public List<StageMetrics> poll() {
        List<StageMetrics> out = new ArrayList<>();
        // One list of readings per namespace and poll: stages of a namespace share it.
        Map<String, Map<String, PodMetrics>> readings = new HashMap<>();
        long ts = clock.millis();
        for (PipelineSpec spec : specs.get()) {
            for (StageSpec stage : spec.stages()) {
                KubeTarget k = stage.kubernetes();
                if (k == null || k.deployment() == null) {
                    continue;
                }
                try {
                    List<Pod> pods = StagePods.of(client, k, retry, Retry.Sleeper.REAL);
                    Map<String, PodMetrics> byPod = readings.computeIfAbsent(k.namespace(), this::readings);
                    for (Pod pod : pods) {
                        PodMetrics m = byPod.get(pod.getMetadata().getName());
                        // A pod the API has not measured yet (just started) has nothing to say this period.
                        Optional<PodUtilisation> u = m == null ? Optional.empty() : PodUtilisation.of(pod, m, k.container());
                        u.ifPresent(x -> out.add(new StageMetrics(StageMetrics.VERSION, spec.name(), stage.name(),
                                pod.getMetadata().getName(), ts, stage.kind(), null, null, null, null, null, null, null,
                                x.cpu(), x.memory(), null, null, null, null, null)));
                    }
                } catch (KubernetesClientException e) {
                    LOG.warn("CPU and memory of {}/{} not read this period: {}", spec.name(), stage.name(),
                            describe(e));
                }
            }
        }
        return out;
    }

    /** The failure's code and first line: an API error's body can run long. */
    private static String describe(KubernetesClientException e) {
        String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + (msg.length() > 300 ? msg.substring(0, 300) + "..." : msg);
    }

    private Map<String, PodMetrics> readings(String namespace) {
        Map<String, PodMetrics> byPod = new HashMap<>();
        for (PodMetrics m : client.top().pods().inNamespace(namespace).metrics().getItems()) {
            byPod.put(m.getMetadata().getName(), m);
        }
        return byPod;
    }
}
