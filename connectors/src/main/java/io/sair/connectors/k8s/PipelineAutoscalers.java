package io.sair.connectors.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.sair.core.model.Json;
import java.util.Map;

/**
 * The PipelineAutoscaler custom resource (k8s/pipelineautoscaler-crd.yaml) as fabric8 generic resources:
 * the spec is a PipelineSpec kept as plain JSON, so the job's own spec check is the only one.
 */
public final class PipelineAutoscalers {

    public static final String API_VERSION = "sair.io/v1alpha1";
    public static final String KIND = "PipelineAutoscaler";
    /** Named in full so that no API discovery request is needed (and none has to be granted). */
    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("sair.io").withVersion("v1alpha1").withKind(KIND).withPlural("pipelineautoscalers")
            .withNamespaced(true).build();

    private PipelineAutoscalers() {
    }

    /** All the PipelineAutoscaler resources; pick {@code inNamespace} or {@code inAnyNamespace} on it. */
    public static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            in(KubernetesClient client) {
        return client.genericKubernetesResources(CONTEXT);
    }

    /** The spec as the bytes a record of sair.pipelines would carry; null when the resource has none. */
    public static byte[] specBytes(GenericKubernetesResource r) {
        Object spec = r.getAdditionalProperties().get("spec");
        return spec == null ? null : Json.write(spec);
    }

    /** The pipeline a resource names: its spec's name, else the resource's own name (a spec without one is refused anyway). */
    public static String pipeline(GenericKubernetesResource r) {
        Object spec = r.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> m && m.get("name") instanceof String name && !name.isBlank()) {
            return name;
        }
        return r.getMetadata().getName();
    }

    static String describe(GenericKubernetesResource r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }
}
