package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Where a stage lives in Kubernetes. {@code inPlaceResize} uses the pods/resize subresource (Kubernetes 1.33+). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KubeTarget(String namespace, String deployment, String container, Boolean inPlaceResize) {

    public KubeTarget {
        namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
        inPlaceResize = inPlaceResize != null && inPlaceResize;
    }
}
