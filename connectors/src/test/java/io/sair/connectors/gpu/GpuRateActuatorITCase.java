package io.sair.connectors.gpu;

import static io.sair.connectors.actuate.TestDecisions.FAST_RETRY;
import static io.sair.connectors.actuate.TestDecisions.decision;
import static io.sair.connectors.actuate.TestDecisions.rate;
import static io.sair.connectors.actuate.TestDecisions.replicas;
import static io.sair.connectors.actuate.TestDecisions.spec;
import static io.sair.connectors.actuate.TestDecisions.stage;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.sair.connectors.actuate.ActuationRequest;
import io.sair.connectors.actuate.ActuationResult;
import io.sair.connectors.actuate.ActuationStep;
import io.sair.connectors.actuate.Outcome;
import io.sair.connectors.actuate.TestDecisions.TestingSleeper;
import io.sair.connectors.k8s.KubeClients;
import io.sair.core.model.Json;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.Mode;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GPU rate changes: pods from the fabric8 CRUD mock, rates to a loopback server speaking the agent's API. */
@EnableKubernetesMockClient(crud = true, https = false)
class GpuRateActuatorITCase {

    private static final String NS = "ml";
    private static final String TOKEN = "s3cret-token";

    KubernetesMockServer server;
    KubernetesClient client;

    private TestingGpuAgent agent;
    private TestingSleeper sleeper;

    @BeforeEach
    void setUp() throws Exception {
        agent = new TestingGpuAgent(TOKEN);
        sleeper = new TestingSleeper();
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
        }
    }

    @AfterEach
    void tearDown() {
        agent.close();
    }

    private GpuRateActuator actuator(String token, String defaultTemplate) {
        return new GpuRateActuator(KubeClients.create(client.getConfiguration(), Duration.ofSeconds(5)),
                new GpuAgentClient(token, Duration.ofSeconds(2)), defaultTemplate, FAST_RETRY, sleeper);
    }

    private String agentTemplate() {
        return "http://{hostIP}:" + agent.port();
    }

    private static PipelineSpec pipeline(Mode mode, String agentUrl) {
        return spec("p", mode, stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", null, false)),
                stage("infer", StageKind.GPU, new KubeTarget(NS, "infer", "model", false, agentUrl)));
    }

    @Test
    void setsTheRateOfEveryPodOfTheStageOnItsNodesAgent() {
        agent.register("p/infer/infer-0", 101);
        agent.register("p/infer/infer-1", 102);
        try (GpuRateActuator a = actuator(TOKEN, agentTemplate())) {
            ActuationResult r = a.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                    replicas("pre", StageKind.CPU, 1, 2), rate("infer", 2, 1.0, 0.5)), pipeline(Mode.ENFORCE, null)));

            assertThat(r.outcome()).as(Json.writeString(r)).isEqualTo(Outcome.APPLIED);
            assertThat(r.actuator()).isEqualTo("gpu-agent");
            assertThat(r.steps()).extracting(ActuationStep::readBack)
                    .containsExactlyInAnyOrder("rate=0.5 pids=[101]", "rate=0.5 pids=[102]");
        }
        assertThat(agent.rates).containsEntry("p/infer/infer-0", 0.5).containsEntry("p/infer/infer-1", 0.5);
        assertThat(agent.calls()).hasSize(2).allSatisfy(c -> assertThat(c)
                .startsWith("PUT /v1/workloads/p%2Finfer%2Finfer-").endsWith("/rate Bearer " + TOKEN));
    }

    @Test
    void theStagesOwnAgentUrlWinsOverTheDefaultTemplate() throws Exception {
        agent.register("p/infer/infer-0", 101);
        agent.register("p/infer/infer-1", 102);
        try (GpuRateActuator a = actuator(TOKEN, "http://{hostIP}:" + closedPort())) {
            ActuationResult r = a.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                    rate("infer", 2, 1.0, 0.3)), pipeline(Mode.ENFORCE, "http://127.0.0.1:" + agent.port())));

            assertThat(r.outcome()).as(Json.writeString(r)).isEqualTo(Outcome.APPLIED);
        }
        assertThat(agent.rates).containsEntry("p/infer/infer-0", 0.3);
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() {
        agent.register("p/infer/infer-0", 101);
        agent.register("p/infer/infer-1", 102);
        agent.failNext(2, 503);
        try (GpuRateActuator a = actuator(TOKEN, agentTemplate())) {
            ActuationResult r = a.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                    rate("infer", 2, 1.0, 0.5)), pipeline(Mode.ENFORCE, null)));

            assertThat(r.outcome()).as(Json.writeString(r)).isEqualTo(Outcome.APPLIED);
            assertThat(r.steps().get(0).attempts()).isEqualTo(3);
            assertThat(r.retries()).isEqualTo(2);
        }
        assertThat(sleeper.slept).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
    }

    @Test
    void refusalsAreReportedAtOnceWithoutRetries() {
        agent.register("p/infer/infer-0", 101); // infer-1 runs no shim: 404
        try (GpuRateActuator wrongToken = actuator("not-the-token", agentTemplate());
             GpuRateActuator right = actuator(TOKEN, agentTemplate())) {
            ActuationRequest req = new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                    rate("infer", 2, 1.0, 0.5)), pipeline(Mode.ENFORCE, null));

            ActuationResult unauthorized = wrongToken.apply(req);
            assertThat(unauthorized.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(unauthorized.steps()).allSatisfy(s -> {
                assertThat(s.error()).contains("HTTP 401").contains("bearer token").doesNotContain("not-the-token");
                assertThat(s.attempts()).isEqualTo(1);
            });

            ActuationResult partly = right.apply(req);
            assertThat(partly.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(partly.steps()).filteredOn(s -> s.outcome() == Outcome.APPLIED).hasSize(1);
            assertThat(partly.steps()).filteredOn(s -> s.outcome() == Outcome.FAILED).singleElement()
                    .satisfies(s -> assertThat(s.error()).contains("HTTP 404").contains("p/infer/infer-1"));
        }
        assertThat(sleeper.slept).isEmpty();
    }

    @Test
    void anUnreachableAgentUsesUpTheRetriesAndIsReported() throws Exception {
        try (GpuRateActuator a = actuator(TOKEN, "http://{hostIP}:" + closedPort())) {
            ActuationResult r = a.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                    rate("infer", 2, 1.0, 0.5)), pipeline(Mode.ENFORCE, null)));

            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.steps()).hasSize(2).allSatisfy(s -> {
                assertThat(s.attempts()).isEqualTo(3);
                assertThat(s.error()).contains("unreachable");
            });
        }
    }

    @Test
    void shadowModeSendsNothing() {
        agent.register("p/infer/infer-0", 101);
        try (GpuRateActuator a = actuator(TOKEN, agentTemplate())) {
            ActuationResult r = a.apply(new ActuationRequest(decision("p", 30_000, Mode.SHADOW,
                    rate("infer", 2, 1.0, 0.5)), pipeline(Mode.SHADOW, null)));

            assertThat(r.outcome()).isEqualTo(Outcome.SHADOW);
            assertThat(r.steps()).singleElement().satisfies(s -> assertThat(s.wanted()).isEqualTo("rate=0.5"));
        }
        assertThat(agent.calls()).isEmpty();
        assertThat(agent.rates).containsEntry("p/infer/infer-0", 1.0);
    }

    @Test
    void onlyGpuStagesWhoseRateChangesAreTouched() {
        try (GpuRateActuator a = actuator(TOKEN, agentTemplate())) {
            ActuationResult r = a.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                    replicas("pre", StageKind.CPU, 1, 2), replicas("infer", StageKind.GPU, 2, 3)),
                    pipeline(Mode.ENFORCE, null)));

            assertThat(r.steps()).isEmpty();
            assertThat(r.outcome()).isEqualTo(Outcome.UNCHANGED);
        }
        assertThat(agent.calls()).isEmpty();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
