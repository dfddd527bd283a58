package io.sair.connectors.k8s;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sair.connectors.actuate.Retry;
import io.sair.core.model.KubeTarget;
import java.util.List;

/** The live pods of a stage: those the Deployment's selector picks, not terminating and not finished. */
public final class StagePods {

    private StagePods() {
    }

    /**
     * Lists them with retries on retryable API errors.
     *
     * @throws KubernetesClientException when the Deployment or the pods cannot be read
     */
    public static List<Pod> of(KubernetesClient client, KubeTarget k, Retry retry, Retry.Sleeper sleeper) {
        Retry.Result<List<Pod>> r = retry.run(new Retry.Attempt<>() {
            @Override
            public List<Pod> call() {
                Deployment d = client.apps().deployments().inNamespace(k.namespace()).withName(k.deployment()).get();
                if (d == null) {
                    throw new KubernetesClientException("deployment " + k.namespace() + "/" + k.deployment()
                            + " not found", 404, null);
                }
                LabelSelector selector = d.getSpec().getSelector();
                return client.pods().inNamespace(k.namespace()).withLabelSelector(selector).list().getItems().stream()
                        .filter(StagePods::live)
                        .toList();
            }

            @Override
            public boolean retryable(Exception e) {
                return KubeErrors.retryable(e);
            }
        }, sleeper);
        if (!r.ok()) {
            throw r.failure() instanceof KubernetesClientException k8s ? k8s
                    : new KubernetesClientException(KubeErrors.describe(r.failure()), r.failure());
        }
        return r.value();
    }

    private static boolean live(Pod p) {
        if (p.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }
}
