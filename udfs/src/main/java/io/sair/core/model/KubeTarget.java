package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a stage lives in Kubernetes.
 *
 * @param container the container whose resources are scaled; null = the pod's only (or first) container
 * @param inPlaceResize CPU and memory through the pods/resize subresource (Kubernetes 1.33+) instead of a
 *                      rolling update of the Deployment
 * @param gpuAgentUrl the GPU agent of this stage's pods: a URL, or a template with {@code {nodeName}},
 *                    {@code {hostIP}}, {@code {podName}}, {@code {namespace}}; null = the job's default template
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KubeTarget(String namespace, String deployment, String container, Boolean inPlaceResize,
                         String gpuAgentUrl) {

    public KubeTarget {
        namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
        inPlaceResize = inPlaceResize != null && inPlaceResize;
        gpuAgentUrl = gpuAgentUrl == null || gpuAgentUrl.isBlank() ? null : gpuAgentUrl.trim();
    }

    /** A target whose GPU agent is found by the job's default template. */
    public KubeTarget(String namespace, String deployment, String container, Boolean inPlaceResize) {
        this(namespace, deployment, container, inPlaceResize, null);
    }
}
