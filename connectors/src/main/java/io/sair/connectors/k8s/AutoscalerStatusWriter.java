package io.sair.connectors.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.sair.core.model.Json;
import io.sair.core.model.ScalingDecision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each decision into the status of its pipeline's PipelineAutoscaler (the resources whose
 * {@code spec.name} is the pipeline), through the status subresource, so {@code kubectl get pas} shows
 * what SAIR is doing. At most one write per decision and pipeline (a replayed decision is skipped).
 * A failure is counted and logged and never thrown: the status is for people, the job goes on.
 */
public final class AutoscalerStatusWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AutoscalerStatusWriter.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, String> lastWritten = new HashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** {@code namespace} null or blank: all namespaces. */
    public AutoscalerStatusWriter(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace == null || namespace.isBlank() ? null : namespace;
    }

    /** Writes the decision's status; false when skipped (already written, no resource) or failed. */
    public boolean write(ScalingDecision d) {
        if (d.decisionId().equals(lastWritten.get(d.pipeline()))) {
            return false;
        }
        List<GenericKubernetesResource> targets;
        try {
            var resources = PipelineAutoscalers.in(client);
            targets = (namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace))
                    .list().getItems().stream().filter(r -> d.pipeline().equals(PipelineAutoscalers.pipeline(r))).toList();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.warn("Listing PipelineAutoscalers for pipeline '{}' failed: {}", d.pipeline(), e.toString());
            return false;
        }
        // Marked before writing: a failed write is not retried for the same decision, the next one will do.
        lastWritten.put(d.pipeline(), d.decisionId());
        Map<String, Object> status = AutoscalerStatus.of(d);
        boolean any = false;
        for (GenericKubernetesResource r : targets) {
            Map<String, Object> withGeneration = new HashMap<>(status);
            withGeneration.put("observedGeneration", r.getMetadata().getGeneration());
            any |= patchStatus(client, r.getMetadata().getNamespace(), r.getMetadata().getName(), withGeneration, failures);
        }
        if (any) {
            written.incrementAndGet();
        }
        return any;
    }

    public long written() {
        return written.get();
    }

    public long failures() {
        return failures.get();
    }

    /**
     * A JSON merge patch of the status subresource: only the given fields change (a null value removes
     * one), the spec cannot be touched, and no read is needed before the write.
     */
    static boolean patchStatus(KubernetesClient client, String ns, String name, Map<String, Object> fields,
                               AtomicLong failures) {
        try {
            PipelineAutoscalers.in(client).inNamespace(ns).withName(name).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Json.writeString(Map.of("status", fields)));
            return true;
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.warn("Writing the status of PipelineAutoscaler {}/{} failed: {}", ns, name, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
