package io.sair.connectors.k8s;

import java.util.List;

/**
 * Every Kubernetes API access the actuators make, in one place: the RBAC Role of the job must grant
 * these (README, Actuators). KubernetesActuatorITCase maps every request the actuator sends to an
 * entry here and checks that every entry is used, so the list and the code cannot drift apart.
 */
public enum KubeAccess {
    /** Read a Deployment: its selector and container resources, before a change. */
    DEPLOYMENTS_GET("apps", "deployments", "get"),
    /** Change a Deployment's container resources (a rolling update), by JSON patch. */
    DEPLOYMENTS_PATCH("apps", "deployments", "patch"),
    /** Read the replicas through the scale subresource. */
    DEPLOYMENTS_SCALE_GET("apps", "deployments/scale", "get"),
    /** Set the replicas through the scale subresource (an absolute count). */
    DEPLOYMENTS_SCALE_UPDATE("apps", "deployments/scale", "update"),
    /** Find a stage's pods (the Deployment's selector): to resize them, and their nodes for the GPU agent. */
    PODS_LIST("", "pods", "list"),
    /** Read one pod again before resizing it (each retry compares against the pod as it is now). */
    PODS_GET("", "pods", "get"),
    /** Resize a running pod's container in place (Kubernetes 1.33+), by JSON patch. */
    PODS_RESIZE_PATCH("", "pods/resize", "patch"),
    /** List the PipelineAutoscaler resources (the informer's first read, and the status writer's lookup). */
    AUTOSCALERS_LIST("sair.io", "pipelineautoscalers", "list", Scope.AUTOSCALERS),
    /** Watch them: creating, editing or deleting one takes effect in the running job. */
    AUTOSCALERS_WATCH("sair.io", "pipelineautoscalers", "watch", Scope.AUTOSCALERS),
    /** Read one resource: fabric8 reads it before a patch of its status. */
    AUTOSCALERS_GET("sair.io", "pipelineautoscalers", "get", Scope.AUTOSCALERS),
    /** Write what SAIR decided into a resource's status (merge patch of the status subresource). */
    AUTOSCALERS_STATUS_PATCH("sair.io", "pipelineautoscalers/status", "patch", Scope.AUTOSCALERS),
    /** List the stage pods' CPU and memory readings of a namespace ({@code kubectl top pods}; PodMetricsReader). */
    POD_METRICS_LIST("metrics.k8s.io", "pods", "list", Scope.POD_METRICS),
    /** Read one pod's readings ({@code kubectl top pod NAME}); the README grants get with list. */
    POD_METRICS_GET("metrics.k8s.io", "pods", "get", Scope.POD_METRICS);

    /** Where an access is granted: in the namespaces of the stages, or where the PipelineAutoscalers live. */
    public enum Scope {
        /** The actuators, in every namespace where a pipeline's stages run (Role sair-actuator). */
        STAGES,
        /** The live PipelineAutoscaler resources, in the job's namespace (Role sair-autoscalers). */
        AUTOSCALERS,
        /** The k8s-metrics connector's readings, in the stages' namespaces (granted by Role sair-actuator too). */
        POD_METRICS
    }

    private final String apiGroup;
    private final String resource;
    private final String verb;
    private final Scope scope;

    KubeAccess(String apiGroup, String resource, String verb) {
        this(apiGroup, resource, verb, Scope.STAGES);
    }

    KubeAccess(String apiGroup, String resource, String verb, Scope scope) {
        this.apiGroup = apiGroup;
        this.resource = resource;
        this.verb = verb;
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }

    /** The accesses of one scope, in declaration order. */
    public static List<KubeAccess> of(Scope scope) {
        return java.util.Arrays.stream(values()).filter(a -> a.scope == scope).toList();
    }

    /** The core group is the empty string, as in a Role's {@code apiGroups}. */
    public String apiGroup() {
        return apiGroup;
    }

    /** Resource, with its subresource after a slash, as in a Role's {@code resources}. */
    public String resource() {
        return resource;
    }

    public String verb() {
        return verb;
    }

    /** All of them, in declaration order (the order of the Role's rules). */
    public static List<KubeAccess> all() {
        return List.of(values());
    }
}
