package io.sair.connectors.gpu;

import static io.sair.connectors.actuate.TestDecisions.FAST_RETRY;
import static io.sair.connectors.actuate.TestDecisions.decision;
import static io.sair.connectors.actuate.TestDecisions.rate;
import static io.sair.connectors.actuate.TestDecisions.replicas;
import static io.sair.connectors.actuate.TestDecisions.spec;
import static io.sair.connectors.actuate.TestDecisions.stage;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.sair.connectors.actuate.ActuationRequest;
import io.sair.connectors.actuate.Actuator;
import io.sair.connectors.actuate.ActuatorContract;
import io.sair.connectors.actuate.TestDecisions.TestingSleeper;
import io.sair.connectors.k8s.KubeClients;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.Mode;
import io.sair.core.model.StageKind;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The actuator contract for {@link GpuRateActuator}: pods from fabric8's CRUD mock, rates to a loopback agent. */
@EnableKubernetesMockClient(crud = true, https = false)
class GpuRateActuatorContractITCase extends ActuatorContract {

    private static final String NS = "ml";
    private static final String TOKEN = "s3cret-token";

    KubernetesMockServer server;
    KubernetesClient client;

    private TestingGpuAgent agent;

    @BeforeEach
    void startTheAgentAndCreateThePods() throws Exception {
        agent = new TestingGpuAgent(TOKEN);
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("infer").withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "infer").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "infer").endMetadata()
                .withNewSpec().withContainers(new ContainerBuilder().withName("model").withImage("m").build()).endSpec()
                .endTemplate().endSpec().build()).create();
        for (String pod : new String[] {"infer-0", "infer-1"}) {
            client.pods().inNamespace(NS).resource(new PodBuilder()
                    .withNewMetadata().withName(pod).withNamespace(NS).addToLabels("app", "infer").endMetadata()
                    .withNewSpec().withNodeName("gpu-node-1")
                    .withContainers(new ContainerBuilder().withName("model").withImage("m").build()).endSpec()
                    .withNewStatus().withPhase("Running").withHostIP("127.0.0.1").endStatus().build()).create();
            agent.register("p/infer/" + pod, 100);
        }
    }

    @AfterEach
    void stopTheAgent() {
        agent.close();
    }

    @Override
    protected Actuator actuator() {
        return actuatorAt("http://{hostIP}:" + agent.port());
    }

    @Override
    protected Actuator unreachable() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return actuatorAt("http://{hostIP}:" + s.getLocalPort());
        }
    }

    private Actuator actuatorAt(String template) {
        return new GpuRateActuator(KubeClients.create(client.getConfiguration(), Duration.ofSeconds(5)),
                new GpuAgentClient(TOKEN, Duration.ofSeconds(2)), template, FAST_RETRY, new TestingSleeper());
    }

    @Override
    protected ActuationRequest change(Mode decisionMode, Mode specMode) {
        return new ActuationRequest(decision("p", 30_000, decisionMode, rate("infer", 2, 1.0, 0.5)),
                spec("p", specMode, stage("infer", StageKind.GPU, new KubeTarget(NS, "infer", "model", false))));
    }

    @Override
    protected ActuationRequest notMine() {
        // Replica changes, even of a GPU stage, are the Kubernetes actuator's.
        return new ActuationRequest(decision("p", 30_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 1, 2),
                replicas("infer", StageKind.GPU, 2, 3)),
                spec("p", Mode.ENFORCE, stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", null, false)),
                        stage("infer", StageKind.GPU, new KubeTarget(NS, "infer", "model", false))));
    }

    @Override
    protected Object world() {
        Map<String, Double> rates = new TreeMap<>(agent.rates);
        return rates;
    }
}
