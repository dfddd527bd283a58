package io.sair.connectors.k8s;

import static io.sair.connectors.actuate.TestDecisions.FAST_RETRY;
import static io.sair.connectors.actuate.TestDecisions.decision;
import static io.sair.connectors.actuate.TestDecisions.replicas;
import static io.sair.connectors.actuate.TestDecisions.resources;
import static io.sair.connectors.actuate.TestDecisions.spec;
import static io.sair.connectors.actuate.TestDecisions.stage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.sair.connectors.actuate.ActuationRequest;
import io.sair.connectors.actuate.ActuationResult;
import io.sair.connectors.actuate.ActuationStep;
import io.sair.connectors.actuate.Outcome;
import io.sair.connectors.actuate.TestDecisions.TestingSleeper;
import io.sair.core.model.Json;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.Mode;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes actuator against fabric8's mock API server in CRUD mode (expectations where CRUD cannot serve). */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesActuatorITCase {

    private static final String NS = "ml";

    KubernetesMockServer server;
    KubernetesClient client;

    private TestingSleeper sleeper;
    private KubernetesActuator actuator;

    @BeforeEach
    void setUp() {
        sleeper = new TestingSleeper();
        actuator = new KubernetesActuator(KubeClients.create(client.getConfiguration(), Duration.ofSeconds(5)),
                FAST_RETRY, sleeper);
    }

    @AfterEach
    void tearDown() {
        actuator.close();
    }

    @Test
    void scalesUpAndDownThroughTheScaleSubresource() throws Exception {
        createDeployment("pre", 2, worker(1000, 1024));
        PipelineSpec spec = spec("p", Mode.ENFORCE, stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", null, false)));

        ActuationResult up = actuator.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                replicas("pre", StageKind.CPU, 2, 4)), spec));
        assertThat(up.outcome()).as(describe(up)).isEqualTo(Outcome.APPLIED);
        assertThat(up.steps()).singleElement().satisfies(s -> {
            assertThat(s.object()).isEqualTo("deployments/ml/pre/scale");
            assertThat(s.wanted()).isEqualTo("replicas=4");
            assertThat(s.readBack()).isEqualTo("replicas=4");
            assertThat(s.attempts()).isEqualTo(1);
        });
        assertThat(replicasOf("pre")).isEqualTo(4);

        ActuationResult down = actuator.apply(new ActuationRequest(decision("p", 60_000, Mode.ENFORCE,
                replicas("pre", StageKind.CPU, 4, 1)), spec));
        assertThat(down.outcome()).as(describe(down)).isEqualTo(Outcome.APPLIED);
        assertThat(replicasOf("pre")).isEqualTo(1);
        assertThat(writes()).contains("PUT /apis/apps/v1/namespaces/ml/deployments/pre/scale");
    }

    @Test
    void aReplayedDecisionWritesNothing() throws Exception {
        createDeployment("pre", 2, worker(1000, 1024));
        PipelineSpec spec = spec("p", Mode.ENFORCE, stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", null, false)));
        ActuationRequest req = new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                replicas("pre", StageKind.CPU, 2, 3), resources("pre", 3, 1000, 1500, 1024, 1024)), spec);

        assertThat(actuator.apply(req).outcome()).isEqualTo(Outcome.APPLIED);
        writes();
        ActuationResult again = actuator.apply(req);

        assertThat(again.outcome()).as(describe(again)).isEqualTo(Outcome.UNCHANGED);
        assertThat(again.steps()).extracting(ActuationStep::readBack).containsExactly("replicas=3", "cpu=1500m");
        assertThat(writes()).isEmpty();
    }

    @Test
    void patchesTheDeploymentsResourcesAndKeepsTheOtherContainersAndResources() throws Exception {
        ResourceRequirements gpuWorker = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("1Gi"))
                .addToLimits("cpu", new Quantity("2")).addToLimits("memory", new Quantity("1Gi"))
                .addToLimits("nvidia.com/gpu", new Quantity("1")).build();
        createDeployment("pre", 2, new ContainerBuilder().withName("sidecar").withImage("envoy").build(),
                new ContainerBuilder().withName("worker").withImage("app").withResources(gpuWorker).build());
        PipelineSpec spec = spec("p", Mode.ENFORCE,
                stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", "worker", false)));

        ActuationResult r = actuator.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                resources("pre", 2, 1000, 1500, 1024, 2048)), spec));

        assertThat(r.outcome()).as(describe(r)).isEqualTo(Outcome.APPLIED);
        assertThat(r.steps()).singleElement().satisfies(s -> {
            assertThat(s.object()).isEqualTo("deployments/ml/pre");
            assertThat(s.wanted()).isEqualTo("cpu=1500m memory=2048Mi");
            assertThat(s.readBack()).isEqualTo("cpu=1500m memory=2048Mi");
        });
        Deployment d = client.apps().deployments().inNamespace(NS).withName("pre").get();
        ResourceRequirements got = d.getSpec().getTemplate().getSpec().getContainers().get(1).getResources();
        assertThat(got.getRequests()).containsEntry("cpu", new Quantity("1500m")).containsEntry("memory", new Quantity("2048Mi"));
        assertThat(got.getLimits()).containsEntry("cpu", new Quantity("1500m")).containsEntry("memory", new Quantity("2048Mi"))
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources())
                .satisfiesAnyOf(res -> assertThat(res).isNull(), res -> assertThat(res.getRequests()).isNullOrEmpty());
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void resizesTheRunningPodsInPlaceAndLeavesTheTemplateAlone() throws Exception {
        createDeployment("post", 2, worker(1000, 1024));
        createPod("post-a", Map.of("app", "post"), null);
        createPod("post-b", Map.of("app", "post"), null);
        createPod("other", Map.of("app", "other"), null);
        createPod("post-done", Map.of("app", "post"), "Succeeded");
        List<String> resizeBodies = new ArrayList<>();
        for (String pod : List.of("post-a", "post-b")) {
            Pod stored = client.pods().inNamespace(NS).withName(pod).get();
            server.expect().patch().withPath("/api/v1/namespaces/ml/pods/" + pod + "/resize")
                    .andReply(200, req -> {
                        String body = req.getUtf8Body(); // the body can be read once
                        synchronized (resizeBodies) {
                            resizeBodies.add(body);
                        }
                        return applyJsonPatch(stored, body);
                    }).always();
        }
        PipelineSpec spec = spec("p", Mode.ENFORCE, stage("post", StageKind.CPU, new KubeTarget(NS, "post", null, true)));

        ActuationResult r = actuator.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                resources("post", 2, 1000, 500, 1024, 1024)), spec));

        assertThat(r.outcome()).as(describe(r)).isEqualTo(Outcome.APPLIED);
        assertThat(r.steps()).extracting(ActuationStep::object)
                .containsExactlyInAnyOrder("pods/ml/post-a/resize", "pods/ml/post-b/resize");
        assertThat(r.steps()).allSatisfy(s -> assertThat(s.readBack()).isEqualTo("cpu=500m"));
        assertThat(resizeBodies).hasSize(2).allSatisfy(body -> {
            JsonNode ops = Json.MAPPER.readTree(body);
            assertThat(ops.get(0).get("op").asText()).isEqualTo("test");
            assertThat(ops.get(0).get("value").asText()).isEqualTo("worker");
            assertThat(ops.get(1).get("path").asText()).isEqualTo("/spec/containers/0/resources");
            assertThat(ops.get(1).get("value").get("requests").get("cpu").asText()).isEqualTo("500m");
            assertThat(ops.get(1).get("value").get("requests").get("memory").asText()).isEqualTo("1Gi");
        });
        Deployment d = client.apps().deployments().inNamespace(NS).withName("post").get();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests())
                .containsEntry("cpu", new Quantity("1"));
        assertThat(writes()).noneMatch(w -> w.contains("/deployments/") || w.contains("/pods/other"));
    }

    @Test
    void shadowModeComputesTheStepsAndCallsNoApi() throws Exception {
        createDeployment("pre", 2, worker(1000, 1024));
        PipelineSpec spec = spec("p", Mode.SHADOW, stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", null, false)));
        int before = server.getRequestCount();

        ActuationResult r = actuator.apply(new ActuationRequest(decision("p", 30_000, Mode.SHADOW,
                replicas("pre", StageKind.CPU, 2, 5), resources("pre", 5, 1000, 2000, 1024, 1024)), spec));

        assertThat(r.outcome()).as(describe(r)).isEqualTo(Outcome.SHADOW);
        assertThat(r.steps()).extracting(ActuationStep::wanted).containsExactly("replicas=5", "cpu=2000m");
        assertThat(r.steps()).allSatisfy(s -> assertThat(s.attempts()).isZero());
        assertThat(server.getRequestCount()).isEqualTo(before);
        assertThat(replicasOf("pre")).isEqualTo(2);
    }

    @Test
    void aConflictIsRetriedAfterABackoffAndThenApplied() throws Exception {
        createDeployment("pre", 2, worker(1000, 1024));
        server.expect().put().withPath("/apis/apps/v1/namespaces/ml/deployments/pre/scale")
                .andReturn(409, status(409, "Conflict", "the object has been modified")).once();
        PipelineSpec spec = spec("p", Mode.ENFORCE, stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", null, false)));

        ActuationResult r = actuator.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                replicas("pre", StageKind.CPU, 2, 3)), spec));

        assertThat(r.outcome()).as(describe(r)).isEqualTo(Outcome.APPLIED);
        assertThat(r.steps().get(0).attempts()).isEqualTo(2);
        assertThat(sleeper.slept).containsExactly(Duration.ofMillis(10));
        assertThat(replicasOf("pre")).isEqualTo(3);
    }

    @Test
    void serverErrorsUseUpTheRetriesAndAreReportedWhileOtherStagesGoOn() throws Exception {
        createDeployment("pre", 2, worker(1000, 1024));
        createDeployment("post", 1, worker(1000, 1024));
        server.expect().patch().withPath("/apis/apps/v1/namespaces/ml/deployments/pre")
                .andReturn(500, status(500, "InternalError", "etcd leader changed")).always();
        PipelineSpec spec = spec("p", Mode.ENFORCE,
                stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", null, false)),
                stage("post", StageKind.CPU, new KubeTarget(NS, "post", null, false)));

        ActuationResult r = actuator.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                resources("pre", 2, 1000, 1500, 1024, 1024), replicas("post", StageKind.CPU, 1, 2)), spec));

        assertThat(r.outcome()).as(describe(r)).isEqualTo(Outcome.FAILED);
        assertThat(r.failedSteps()).isEqualTo(1);
        assertThat(r.steps().get(0)).satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(s.attempts()).isEqualTo(3);
            assertThat(s.error()).contains("500");
        });
        assertThat(sleeper.slept).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
        assertThat(r.steps().get(1).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(replicasOf("post")).isEqualTo(2);
        assertThat(client.apps().deployments().inNamespace(NS).withName("pre").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getResources().getRequests()).containsEntry("cpu", new Quantity("1"));
    }

    @Test
    void aMissingDeploymentFailsAtOnceWithoutRetries() {
        PipelineSpec spec = spec("p", Mode.ENFORCE, stage("pre", StageKind.CPU, new KubeTarget(NS, "gone", null, false)));

        ActuationResult r = actuator.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                replicas("pre", StageKind.CPU, 2, 3)), spec));

        assertThat(r.outcome()).as(describe(r)).isEqualTo(Outcome.FAILED);
        assertThat(r.steps().get(0).attempts()).isEqualTo(1);
        assertThat(r.steps().get(0).error()).contains("404");
        assertThat(sleeper.slept).isEmpty();
    }

    @Test
    void aStageWithoutAKubernetesTargetIsLeftToOthers() {
        PipelineSpec spec = spec("p", Mode.ENFORCE, stage("pre", StageKind.CPU, null));
        ScalingDecision d = decision("p", 30_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 2, 3));

        ActuationResult r = actuator.apply(new ActuationRequest(d, spec));

        assertThat(r.steps()).isEmpty();
        assertThat(r.outcome()).as(describe(r)).isEqualTo(Outcome.UNCHANGED);
        assertThat(r.decisionId()).isEqualTo(d.decisionId());
    }

    @Test
    void everyCallIsDeclaredInKubeAccessAndEveryDeclaredAccessIsUsed() throws Exception {
        createDeployment("pre", 1, worker(1000, 1024));
        createDeployment("post", 1, worker(1000, 1024));
        createPod("post-a", Map.of("app", "post"), null);
        Pod stored = client.pods().inNamespace(NS).withName("post-a").get();
        server.expect().patch().withPath("/api/v1/namespaces/ml/pods/post-a/resize")
                .andReply(200, req -> applyJsonPatch(stored, req.getUtf8Body())).always();
        PipelineSpec spec = spec("p", Mode.ENFORCE,
                stage("pre", StageKind.CPU, new KubeTarget(NS, "pre", null, false)),
                stage("post", StageKind.CPU, new KubeTarget(NS, "post", null, true)));
        List<String> setup = calls();

        ActuationResult r = actuator.apply(new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                new io.sair.core.model.StageTarget("pre", StageKind.CPU, 2, 1500, 1024, 1.0, 1, 500, 0, 0.0),
                resources("post", 1, 1000, 1500, 1024, 1024)), spec));
        assertThat(r.outcome()).as(describe(r)).isEqualTo(Outcome.APPLIED);

        List<String> made = calls();
        assertThat(setup).isNotEmpty();
        assertThat(made).allSatisfy(c -> assertThat(ApiAccess.of(c.split(" ")[0], c.split(" ")[1]))
                .as("%s is not declared in KubeAccess", c).isPresent());
        assertThat(made.stream().map(c -> ApiAccess.of(c.split(" ")[0], c.split(" ")[1]).orElseThrow()).distinct())
                .containsExactlyInAnyOrderElementsOf(KubeAccess.of(KubeAccess.Scope.STAGES));
    }

    /** Every request the server saw since the last call, as "METHOD path"; drains the record. */
    private List<String> calls() throws InterruptedException {
        List<String> all = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            all.add(r.getMethod() + " " + r.getPath());
        }
        return all;
    }

    private static io.fabric8.kubernetes.api.model.Container worker(int cpuMillis, int memMb) {
        return new ContainerBuilder().withName("worker").withImage("app").withResources(new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(cpuMillis == 1000 ? "1" : cpuMillis + "m"))
                .addToRequests("memory", new Quantity(memMb == 1024 ? "1Gi" : memMb + "Mi")).build()).build();
    }

    private void createDeployment(String name, int replicas, io.fabric8.kubernetes.api.model.Container... containers) {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(containers).endSpec().endTemplate()
                .endSpec().build()).create();
    }

    private void createPod(String name, Map<String, String> labels, String phase) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).withLabels(labels).endMetadata()
                .withNewSpec().withContainers(worker(1000, 1024)).withNodeName("node-1").endSpec()
                .withNewStatus().withPhase(phase == null ? "Running" : phase).withHostIP("127.0.0.1").endStatus()
                .build()).create();
    }

    private int replicasOf(String deployment) {
        return client.apps().deployments().inNamespace(NS).withName(deployment).get().getSpec().getReplicas();
    }

    /** The writes (PUT/PATCH/POST) the server saw since the last call, as "METHOD path"; drains the record. */
    private List<String> writes() throws InterruptedException {
        List<String> w = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (!r.getMethod().equals("GET")) {
                w.add(r.getMethod() + " " + r.getPath());
            }
        }
        return w;
    }

    private static String describe(ActuationResult r) {
        return Json.writeString(r);
    }

    private static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code + ",\"reason\":\""
                + reason + "\",\"message\":\"" + message + "\"}";
    }

    /** What an API server does with the resize patch: check each {@code test}, then do each {@code add}. */
    private String applyJsonPatch(Pod pod, String patch) {
        try {
            JsonNode doc = Json.MAPPER.readTree(client.getKubernetesSerialization().asJson(pod));
            for (JsonNode op : Json.MAPPER.readTree(patch)) {
                String path = op.get("path").asText();
                switch (op.get("op").asText()) {
                    case "test" -> assertThat(doc.at(path)).isEqualTo(op.get("value"));
                    case "add" -> ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at(path.substring(0,
                            path.lastIndexOf('/')))).set(path.substring(path.lastIndexOf('/') + 1), op.get("value"));
                    default -> throw new IllegalArgumentException("unexpected op " + op);
                }
            }
            return doc.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
