package io.sair.connectors.gpu;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sair.connectors.actuate.ActuationRequest;
import io.sair.connectors.actuate.ActuationResult;
import io.sair.connectors.actuate.ActuationStep;
import io.sair.connectors.actuate.Actuator;
import io.sair.connectors.actuate.Outcome;
import io.sair.connectors.actuate.Retry;
import io.sair.connectors.k8s.StagePods;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageTarget;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sends the GPU stages' rate targets to the agent on each pod's node. A stage's pods come from its
 * Deployment; each pod's shim is the workload {@code pipeline/stage/pod} (its {@code SAIR_WORKLOAD}).
 * The rate is absolute and the agent's PUT idempotent, so a replayed decision is harmless; the agent
 * answers after the shims confirmed the rate, and that answer is the read-back.
 */
public final class GpuRateActuator implements Actuator {

    public static final String NAME = "gpu-agent";

    private final KubernetesClient kube;
    private final GpuAgentClient agent;
    private final String defaultTemplate;
    private final Retry retry;
    private final Retry.Sleeper sleeper;

    public GpuRateActuator(KubernetesClient kube, GpuAgentClient agent, String defaultTemplate, Retry retry,
                           Retry.Sleeper sleeper) {
        this.kube = kube;
        this.agent = agent;
        this.defaultTemplate = defaultTemplate;
        this.retry = retry;
        this.sleeper = sleeper;
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
            if (t.kind() != StageKind.GPU || Math.abs(t.dRate()) < 1e-9) {
                continue;
            }
            String wanted = "rate=" + t.rate();
            Optional<KubeTarget> k = request.deploymentOf(t.stage());
            if (k.isEmpty()) {
                steps.add(ActuationStep.failed(t.stage(), "rate", "stage " + t.stage(), wanted, 0,
                        "the stage has no kubernetes.deployment: its pods, and so their agents, are unknown"));
                continue;
            }
            if (shadow) {
                steps.add(new ActuationStep(t.stage(), "rate", "pods of deployments/" + k.get().namespace() + "/"
                        + k.get().deployment(), wanted, null, Outcome.SHADOW, 0, null));
                continue;
            }
            steps.addAll(ratePods(d.pipeline(), t, k.get()));
        }
        return ActuationResult.of(d, NAME, steps);
    }

    private List<ActuationStep> ratePods(String pipeline, StageTarget t, KubeTarget k) {
        String wanted = "rate=" + t.rate();
        List<Pod> pods;
        try {
            pods = StagePods.of(kube, k, retry, sleeper);
        } catch (RuntimeException e) {
            return List.of(ActuationStep.failed(t.stage(), "rate", "pods of deployments/" + k.namespace() + "/"
                    + k.deployment(), wanted, 1, String.valueOf(e.getMessage())));
        }
        if (pods.isEmpty()) {
            return List.of(ActuationStep.failed(t.stage(), "rate", "pods of deployments/" + k.namespace() + "/"
                    + k.deployment(), wanted, 0, "no running pods"));
        }
        String template = k.gpuAgentUrl() != null ? k.gpuAgentUrl() : defaultTemplate;
        List<ActuationStep> steps = new ArrayList<>();
        for (Pod pod : pods) {
            String workload = pipeline + "/" + t.stage() + "/" + pod.getMetadata().getName();
            URI address;
            try {
                address = AgentAddress.of(template, pod);
            } catch (IllegalArgumentException e) {
                steps.add(ActuationStep.failed(t.stage(), "rate", workload, wanted, 0, e.getMessage()));
                continue;
            }
            steps.add(setRate(t, address, workload, wanted));
        }
        return steps;
    }

    private ActuationStep setRate(StageTarget t, URI address, String workload, String wanted) {
        String object = address + " " + workload;
        Retry.Result<GpuAgentClient.RateAnswer> r = retry.run(new Retry.Attempt<>() {
            @Override
            public GpuAgentClient.RateAnswer call() throws Exception {
                return agent.setRate(address, workload, t.rate());
            }

            @Override
            public boolean retryable(Exception e) {
                return e instanceof AgentException a && a.retryable();
            }
        }, sleeper);
        if (!r.ok()) {
            return ActuationStep.failed(t.stage(), "rate", object, wanted, r.attempts(), r.failure().getMessage());
        }
        GpuAgentClient.RateAnswer a = r.value();
        String readBack = "rate=" + a.rate() + " pids=" + a.pids();
        if (Math.abs(a.rate() - t.rate()) > 1e-6) {
            return new ActuationStep(t.stage(), "rate", object, wanted, readBack, Outcome.FAILED, r.attempts(),
                    "the agent reports rate " + a.rate() + ", wanted " + t.rate());
        }
        return new ActuationStep(t.stage(), "rate", object, wanted, readBack, Outcome.APPLIED, r.attempts(), null);
    }

    @Override
    public void close() {
        agent.close();
        kube.close();
    }
}
