package io.sair.connectors.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/** Kubernetes clients for the actuators: in-cluster or kubeconfig, short timeouts, no retries of their own. */
public final class KubeClients {

    private KubeClients() {
    }

    /** A client from the environment (service account in a pod, else ~/.kube/config). */
    public static KubernetesClient fromEnvironment(Duration requestTimeout) {
        return create(Config.autoConfigure(null), requestTimeout);
    }

    /**
     * A client on the given configuration. fabric8 retries failed requests by itself (10 times by
     * default); that is switched off so {@link io.sair.connectors.actuate.Retry} alone decides, and a
     * decision's attempts are counted right.
     */
    public static KubernetesClient create(Config base, Duration requestTimeout) {
        int ms = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
        Config c = new ConfigBuilder(base)
                .withRequestRetryBackoffLimit(0)
                .withRequestTimeout(ms)
                .withConnectionTimeout(ms)
                .build();
        return new KubernetesClientBuilder().withConfig(c).build();
    }
}
