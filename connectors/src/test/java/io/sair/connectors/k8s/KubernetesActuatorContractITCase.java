package io.sair.connectors.k8s;

import static io.sair.connectors.actuate.TestDecisions.FAST_RETRY;
import static io.sair.connectors.actuate.TestDecisions.decision;
import static io.sair.connectors.actuate.TestDecisions.rate;
import static io.sair.connectors.actuate.TestDecisions.replicas;
import static io.sair.connectors.actuate.TestDecisions.spec;
import static io.sair.connectors.actuate.TestDecisions.stage;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.sair.connectors.actuate.ActuationRequest;
import io.sair.connectors.actuate.Actuator;
import io.sair.connectors.actuate.ActuatorContract;
import io.sair.connectors.actuate.TestDecisions.TestingSleeper;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.Mode;
import io.sair.core.model.StageKind;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/** The actuator contract for {@link KubernetesActuator}, against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesActuatorContractITCase extends ActuatorContract {

    private static final String NS = "ml";

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void createTheStagesDeployment() {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("pre").withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "pre").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "pre").endMetadata()
                .withNewSpec().withContainers(new ContainerBuilder().withName("worker").withImage("app").build())
                .endSpec().endTemplate().endSpec().build()).create();
    }

    @Override
    protected Actuator actuator() {
        return new KubernetesActuator(KubeClients.create(client.getConfiguration(), Duration.ofSeconds(5)), FAST_RETRY,
                new TestingSleeper());
    }

    @Override
    protected Actuator unreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new KubernetesActuator(KubeClients.create(new ConfigBuilder(client.getConfiguration())
                .withMasterUrl("http://127.0.0.1:" + port).build(), Duration.ofSeconds(2)), FAST_RETRY,
                new TestingSleeper());
    }

    @Override
    protected ActuationRequest change(Mode decisionMode, Mode specMode) {
        return new ActuationRequest(decision("p", 30_000, decisionMode, replicas("pre", StageKind.CPU, 2, 3)),
                spec("p", specMode, stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", null, false))));
    }

    @Override
    protected ActuationRequest notMine() {
        // A GPU rate change is the GPU agent's; a stage without a Kubernetes target is nobody's here.
        return new ActuationRequest(decision("p", 30_000, Mode.ENFORCE, rate("infer", 2, 1.0, 0.5),
                replicas("other", StageKind.CPU, 1, 2)),
                spec("p", Mode.ENFORCE, stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", null, false)),
                        stage("infer", StageKind.GPU, new KubeTarget(NS, "pre", null, false)),
                        stage("other", StageKind.CPU, null)));
    }

    @Override
    protected Object world() {
        return client.apps().deployments().inNamespace(NS).withName("pre").get().getSpec();
    }
}
