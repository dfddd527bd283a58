package io.sair.connectors.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sair.flink.Parsing;
import io.sair.flink.RawRecord;
import io.sair.flink.SpecChange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps sair.pipelines equal to the PipelineAutoscaler resources: a fabric8 informer publishes each
 * resource's spec under its pipeline name, and a tombstone when the resource is deleted.
 *
 * <p>Why a sync to the topic rather than a Flink source: the compacted topic stays the one place specs
 * come from, so the job's topology, its broadcast state and its savepoints do not change, a spec from
 * {@code ./sair pipelines publish} and one from a resource behave the same, and a restarted job reads
 * the specs back from the topic without a cluster. The informer relists and rewatches on its own.
 *
 * <p>A bad spec is checked with the job's own check ({@link Parsing#spec}) before it is published: it
 * is written into the resource's {@code status.specProblem} and not published, so the last good spec
 * of the pipeline stays in force (on the compacted topic, a bad record would shadow the good one).
 */
public final class AutoscalerSpecSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AutoscalerSpecSync.class);

    private final KubernetesClient client;
    private final String namespace;
    private final SpecPublisher publisher;
    private final int maxBytes;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Resource (namespace/name) -> the pipeline last published for it, to tombstone a rename or a delete. */
    private final Map<String, String> pipelines = new LinkedHashMap<>();
    private SharedIndexInformer<GenericKubernetesResource> informer;

    /** {@code namespace} null or blank: all namespaces. */
    public AutoscalerSpecSync(KubernetesClient client, String namespace, SpecPublisher publisher, int maxBytes) {
        this.client = Objects.requireNonNull(client);
        this.namespace = namespace == null || namespace.isBlank() ? null : namespace;
        this.publisher = Objects.requireNonNull(publisher);
        this.maxBytes = maxBytes;
    }

    /** Starts watching; returns once the first list has been published. */
    public AutoscalerSpecSync start() {
        var resources = PipelineAutoscalers.in(client);
        // Assigned before it runs: the handlers ask its cache who else names a pipeline.
        informer = (namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace))
                .runnableInformer(0);
        informer.addEventHandler(new Handler());
        informer.run();
        return this;
    }

    public long published() {
        return published.get();
    }

    public long refused() {
        return refused.get();
    }

    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }

    private synchronized void upsert(GenericKubernetesResource r) {
        String id = PipelineAutoscalers.describe(r);
        String pipeline = PipelineAutoscalers.pipeline(r);
        GenericKubernetesResource owner = owner(pipeline, r, null);
        if (owner != r) {
            // Two resources for one pipeline would overwrite each other's spec on the topic: like two HPAs on
            // one Deployment, the older one keeps it, the newer is refused until that one goes.
            refused.incrementAndGet();
            String problem = "pipeline '" + pipeline + "' is already managed by PipelineAutoscaler "
                    + PipelineAutoscalers.describe(owner) + "; this resource takes over when that one is deleted";
            LOG.warn("PipelineAutoscaler {}: spec refused: {}", id, problem);
            String before = pipelines.remove(id);
            if (before != null && !before.equals(pipeline)) {
                release(before, r);
            }
            reportProblem(r, problem);
            return;
        }
        byte[] bytes = PipelineAutoscalers.specBytes(r);
        SpecChange checked = Parsing.spec(new RawRecord("PipelineAutoscaler " + id, 0, -1, 0,
                pipeline.getBytes(java.nio.charset.StandardCharsets.UTF_8), bytes == null ? new byte[0] : bytes), maxBytes);
        if (checked.error() != null) {
            refused.incrementAndGet();
            LOG.warn("PipelineAutoscaler {}: spec refused, the last good spec stays: {}", id, checked.error());
            reportProblem(r, checked.error());
            return;
        }
        String before = pipelines.put(id, pipeline);
        if (before != null && !before.equals(pipeline)) {
            release(before, r);
        }
        if (send(pipeline, bytes, id)) {
            reportProblem(r, null);
        }
    }

    private synchronized void remove(GenericKubernetesResource r) {
        String pipeline = pipelines.remove(PipelineAutoscalers.describe(r));
        if (pipeline != null) {
            release(pipeline, r);
        }
    }

    /**
     * {@code gone} no longer speaks for {@code pipeline}: the next resource in line takes it over (its
     * spec is published, its refusal cleared), or, with none, the pipeline gets a tombstone.
     */
    private void release(String pipeline, GenericKubernetesResource gone) {
        GenericKubernetesResource next = owner(pipeline, null, gone);
        if (next != null) {
            upsert(next);
        } else {
            send(pipeline, null, PipelineAutoscalers.describe(gone));
        }
    }

    /**
     * The resource that owns {@code pipeline}: the oldest (then by namespace/name) of those in the
     * informer's cache that name it, with {@code candidate} counted in and {@code excluded} left out.
     */
    private GenericKubernetesResource owner(String pipeline, GenericKubernetesResource candidate,
                                            GenericKubernetesResource excluded) {
        List<GenericKubernetesResource> claims = new ArrayList<>();
        if (candidate != null) {
            claims.add(candidate);
        }
        String candidateId = candidate == null ? null : PipelineAutoscalers.describe(candidate);
        String excludedId = excluded == null ? null : PipelineAutoscalers.describe(excluded);
        for (GenericKubernetesResource r : informer.getStore().list()) {
            String id = PipelineAutoscalers.describe(r);
            if (!id.equals(candidateId) && !id.equals(excludedId) && pipeline.equals(PipelineAutoscalers.pipeline(r))) {
                claims.add(r);
            }
        }
        return claims.stream().min(Comparator.comparing((GenericKubernetesResource r) -> created(r))
                .thenComparing(PipelineAutoscalers::describe)).orElse(null);
    }

    private static String created(GenericKubernetesResource r) {
        // RFC 3339 in UTC ("2026-11-23T14:00:00Z") sorts as text; a resource not yet stamped counts as newest.
        String t = r.getMetadata().getCreationTimestamp();
        return t == null ? "~" : t;
    }

    private boolean send(String pipeline, byte[] value, String id) {
        try {
            publisher.publish(pipeline, value);
            published.incrementAndGet();
            return true;
        } catch (Exception e) {
            failures.incrementAndGet();
            LOG.warn("PipelineAutoscaler {}: publishing pipeline '{}' failed: {}", id, pipeline, e.toString());
            return false;
        }
    }

    /** Sets or clears status.specProblem; a merge patch of the status subresource only touches that field. */
    private void reportProblem(GenericKubernetesResource r, String problem) {
        Object status = r.getAdditionalProperties().get("status");
        Object current = status instanceof Map<?, ?> m ? m.get("specProblem") : null;
        if (Objects.equals(current, problem)) {
            return;
        }
        AutoscalerStatusWriter.patchStatus(client, r.getMetadata().getNamespace(), r.getMetadata().getName(),
                java.util.Collections.singletonMap("specProblem", problem), failures);
    }

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource r) {
            upsert(r);
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
            // Status writes (ours included) and resyncs come back as updates: only a changed spec is republished.
            if (!Objects.equals(before.getAdditionalProperties().get("spec"), after.getAdditionalProperties().get("spec"))) {
                upsert(after);
            }
        }

        @Override
        public void onDelete(GenericKubernetesResource r, boolean finalStateUnknown) {
            remove(r);
        }
    }
}
