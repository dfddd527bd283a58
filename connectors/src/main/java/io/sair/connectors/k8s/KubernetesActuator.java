package io.sair.connectors.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.sair.connectors.actuate.ActuationRequest;
import io.sair.connectors.actuate.ActuationResult;
import io.sair.connectors.actuate.ActuationStep;
import io.sair.connectors.actuate.Actuator;
import io.sair.connectors.actuate.Outcome;
import io.sair.connectors.actuate.Retry;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies a decision's replicas and CPU/memory targets to the stages' Deployments (the API accesses
 * are those in {@link KubeAccess}). Targets are absolute and a dimension already at its target is not
 * written, so a replayed decision changes nothing. Only the dimensions a decision changes are touched.
 * Replicas go through the scale subresource; CPU/memory through in-place pod resize when the stage's
 * {@link KubeTarget#inPlaceResize()} is set, else through the Deployment's pod template (a rolling
 * update). Conflicts, throttling and server errors are retried with backoff; any failure ends up in the
 * result, never in an exception.
 */
public final class KubernetesActuator implements Actuator {

    public static final String NAME = "kubernetes";

    private final KubernetesClient client;
    private final Retry retry;
    private final Retry.Sleeper sleeper;
    private final PodResize resize;

    /** The client should not retry by itself ({@link KubeClients}): this class owns the retry policy. */
    public KubernetesActuator(KubernetesClient client, Retry retry, Retry.Sleeper sleeper) {
        this.client = client;
        this.retry = retry;
        this.sleeper = sleeper;
        this.resize = new PodResize(client);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ActuationResult apply(ActuationRequest request) {
        ScalingDecision d = request.decision();
        boolean shadow = request.shadow();
        List<ActuationStep> steps = new ArrayList<>();
        for (StageTarget t : d.stages()) {
            Optional<KubeTarget> k = request.deploymentOf(t.stage());
            if (k.isEmpty()) {
                continue; // not managed on Kubernetes (the simulator, or a stage without a Deployment)
            }
            if (t.dReplicas() != 0) {
                steps.add(shadow ? shadowStep(t, "replicas", scaleObject(k.get()), "replicas=" + t.replicas())
                        : replicas(t, k.get()));
            }
            ContainerResources target = new ContainerResources(t.dCpuMillis() != 0 ? t.cpuMillis() : null,
                    t.dMemoryMb() != 0 ? t.memoryMb() : null);
            if (!target.isEmpty()) {
                if (shadow) {
                    steps.add(shadowStep(t, "resources", resourcesObject(k.get()), target.describe()));
                } else if (k.get().inPlaceResize()) {
                    steps.addAll(resizePods(t, k.get(), target));
                } else {
                    steps.add(patchTemplate(t, k.get(), target));
                }
            }
        }
        return ActuationResult.of(d, NAME, steps);
    }

    private static ActuationStep shadowStep(StageTarget t, String dimension, String object, String wanted) {
        return new ActuationStep(t.stage(), dimension, object, wanted, null, Outcome.SHADOW, 0, null);
    }

    /** What a write attempt found: whether it wrote, and the value as the server holds it afterwards. */
    private record Written(boolean wrote, String readBack, boolean matches) {
    }

    private ActuationStep replicas(StageTarget t, KubeTarget k) {
        String wanted = "replicas=" + t.replicas();
        return step(t, "replicas", scaleObject(k), wanted, () -> {
            RollableScalableResource<Deployment> dep = deployment(k);
            Scale live = dep.scale();
            if (live == null || live.getSpec() == null) {
                throw new KubernetesClientException("deployment not found", 404, null);
            }
            if (live.getSpec().getReplicas() != null && live.getSpec().getReplicas() == t.replicas()) {
                return new Written(false, wanted, true);
            }
            // The Scale as read, with the new count and without its resourceVersion: an absolute count is
            // meant to win over whatever changed in between (so no 409 loop against a busy HPA or rollout).
            Scale back = dep.scale(new ScaleBuilder(live)
                    .editOrNewMetadata().withResourceVersion(null).endMetadata()
                    .editOrNewSpec().withReplicas(t.replicas()).endSpec().build());
            Integer got = back == null || back.getSpec() == null ? null : back.getSpec().getReplicas();
            return new Written(true, "replicas=" + got, got != null && got == t.replicas());
        });
    }

    private ActuationStep patchTemplate(StageTarget t, KubeTarget k, ContainerResources target) {
        return step(t, "resources", resourcesObject(k), target.describe(), () -> {
            Deployment live = requireDeployment(k);
            List<Container> containers = live.getSpec().getTemplate().getSpec().getContainers();
            int i = ContainerResources.containerIndex(containers, k.container());
            ResourceRequirements now = containers.get(i).getResources();
            if (target.satisfiedBy(now)) {
                return new Written(false, target.describeLive(now), true);
            }
            String path = "/spec/template/spec/containers/" + i;
            Deployment back = deployment(k).patch(PatchContext.of(PatchType.JSON),
                    JsonPatch.replaceResources(path, containers.get(i).getName(), target.applyTo(now), client));
            ResourceRequirements after = back.getSpec().getTemplate().getSpec().getContainers().get(i).getResources();
            return new Written(true, target.describeLive(after), target.satisfiedBy(after));
        });
    }

    private List<ActuationStep> resizePods(StageTarget t, KubeTarget k, ContainerResources target) {
        List<Pod> pods;
        try {
            pods = StagePods.of(client, k, retry, sleeper);
        } catch (RuntimeException e) {
            return List.of(ActuationStep.failed(t.stage(), "resources", resourcesObject(k), target.describe(), 1,
                    KubeErrors.describe(e)));
        }
        if (pods.isEmpty()) {
            return List.of(ActuationStep.failed(t.stage(), "resources", resourcesObject(k), target.describe(), 0,
                    "no running pods to resize"));
        }
        List<ActuationStep> steps = new ArrayList<>();
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            steps.add(step(t, "resources", "pods/" + k.namespace() + "/" + name + "/resize", target.describe(), () -> {
                // Read again on every attempt: a retry must compare against the pod as it is now.
                Pod live = client.pods().inNamespace(k.namespace()).withName(name).get();
                if (live == null) {
                    throw new KubernetesClientException("pod not found", 404, null);
                }
                List<Container> containers = live.getSpec().getContainers();
                int i = ContainerResources.containerIndex(containers, k.container());
                ResourceRequirements now = containers.get(i).getResources();
                if (target.satisfiedBy(now)) {
                    return new Written(false, target.describeLive(now), true);
                }
                Pod back = resize.patch(k.namespace(), name, JsonPatch.replaceResources("/spec/containers/" + i,
                        containers.get(i).getName(), target.applyTo(now), client));
                ResourceRequirements after = back.getSpec().getContainers().get(i).getResources();
                return new Written(true, target.describeLive(after), target.satisfiedBy(after));
            }));
        }
        return steps;
    }

    /** One write with retries, turned into a step; a read-back that differs from the target is a failure. */
    private ActuationStep step(StageTarget t, String dimension, String object, String wanted,
                               KubeCall<Written> call) {
        Retry.Result<Written> r = retry.run(new Retry.Attempt<>() {
            @Override
            public Written call() throws Exception {
                return call.call();
            }

            @Override
            public boolean retryable(Exception e) {
                return KubeErrors.retryable(e);
            }
        }, sleeper);
        if (!r.ok()) {
            return ActuationStep.failed(t.stage(), dimension, object, wanted, r.attempts(), KubeErrors.describe(r.failure()));
        }
        Written w = r.value();
        if (!w.matches()) {
            return new ActuationStep(t.stage(), dimension, object, wanted, w.readBack(), Outcome.FAILED, r.attempts(),
                    "read back " + w.readBack() + " after the write, wanted " + wanted);
        }
        return new ActuationStep(t.stage(), dimension, object, wanted, w.readBack(),
                w.wrote() ? Outcome.APPLIED : Outcome.UNCHANGED, r.attempts(), null);
    }

    @FunctionalInterface
    private interface KubeCall<T> {
        T call() throws Exception;
    }

    private RollableScalableResource<Deployment> deployment(KubeTarget k) {
        return client.apps().deployments().inNamespace(k.namespace()).withName(k.deployment());
    }

    private Deployment requireDeployment(KubeTarget k) {
        Deployment d = deployment(k).get();
        if (d == null) {
            throw new KubernetesClientException("deployment not found", 404, null);
        }
        return d;
    }

    private static String scaleObject(KubeTarget k) {
        return "deployments/" + k.namespace() + "/" + k.deployment() + "/scale";
    }

    private static String resourcesObject(KubeTarget k) {
        return (k.inPlaceResize() ? "pods of deployments/" : "deployments/") + k.namespace() + "/" + k.deployment();
    }

    @Override
    public void close() {
        client.close();
    }
}
