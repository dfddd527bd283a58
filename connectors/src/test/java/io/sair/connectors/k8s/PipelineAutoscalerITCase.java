package io.sair.connectors.k8s;

import static io.sair.connectors.actuate.TestDecisions.decision;
import static io.sair.connectors.actuate.TestDecisions.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sair.core.model.Json;
import io.sair.core.model.Mode;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageKind;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live PipelineAutoscaler resources against fabric8's mock API server in CRUD mode, with the real CRD. */
@EnableKubernetesMockClient(crud = true, https = false)
class PipelineAutoscalerITCase {

    private static final Path K8S = Path.of("..", "k8s");
    private static final String NS = "sair";
    private static final String NAME = "image-classification";

    KubernetesMockServer server;
    KubernetesClient client;

    /** What the sync published, in order: pipeline and the spec (null for a tombstone). */
    private final List<Map.Entry<String, PipelineSpec>> published = new CopyOnWriteArrayList<>();
    private AutoscalerSpecSync sync;

    @BeforeEach
    void setUp() throws Exception {
        try (InputStream in = Files.newInputStream(K8S.resolve("pipelineautoscaler-crd.yaml"))) {
            client.apiextensions().v1().customResourceDefinitions()
                    .resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
        }
        sync = new AutoscalerSpecSync(client, NS, (pipeline, value) -> published.add(
                new java.util.AbstractMap.SimpleEntry<>(pipeline, value == null ? null : Json.read(value, PipelineSpec.class))),
                1 << 20).start();
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    @Test
    void creatingEditingAndDeletingAResourceAddsChangesAndRemovesItsSpec() throws Exception {
        GenericKubernetesResource created = PipelineAutoscalers.in(client).inNamespace(NS).resource(example()).create();
        await("the created spec", () -> published.size() == 1);
        assertThat(published.get(0).getKey()).isEqualTo(NAME);
        assertThat(published.get(0).getValue().slaP99Ms()).isEqualTo(150.0);

        PipelineAutoscalers.in(client).inNamespace(NS).withName(NAME).edit(r -> withSla(r, 120));
        await("the edited spec", () -> published.size() == 2);
        assertThat(published.get(1).getValue().slaP99Ms()).isEqualTo(120.0);

        PipelineAutoscalers.in(client).inNamespace(NS).resource(created).delete();
        await("the tombstone", () -> published.size() == 3);
        assertThat(published.get(2).getKey()).isEqualTo(NAME);
        assertThat(published.get(2).getValue()).isNull();
        assertThat(sync.failures()).isZero();
    }

    @Test
    void aBadSpecIsReportedOnTheStatusAndChangesNothing() throws Exception {
        PipelineAutoscalers.in(client).inNamespace(NS).resource(example()).create();
        await("the good spec", () -> published.size() == 1);

        PipelineAutoscalers.in(client).inNamespace(NS).withName(NAME).edit(r -> withSla(r, -5));
        await("the problem on the status", () -> statusField("specProblem") != null);
        assertThat((String) statusField("specProblem")).contains("invalid spec").contains("sla");
        assertThat(sync.refused()).isEqualTo(1);
        assertThat(published).hasSize(1);

        PipelineAutoscalers.in(client).inNamespace(NS).withName(NAME).edit(r -> withSla(r, 140));
        await("the fixed spec", () -> published.size() == 2);
        assertThat(published.get(1).getValue().slaP99Ms()).isEqualTo(140.0);
        await("the problem cleared", () -> statusField("specProblem") == null);
    }

    @Test
    void aSecondResourceForTheSamePipelineIsRefusedUntilTheFirstIsDeleted() throws Exception {
        GenericKubernetesResource first = PipelineAutoscalers.in(client).inNamespace(NS).resource(example()).create();
        await("the first spec", () -> published.size() == 1);
        GenericKubernetesResource second = withSla(example(), 120);
        second.getMetadata().setName("image-classification-copy"); // spec.name still names the same pipeline
        PipelineAutoscalers.in(client).inNamespace(NS).resource(second).create();

        await("the conflict on the second's status", () -> statusField("image-classification-copy", "specProblem") != null);
        assertThat((String) statusField("image-classification-copy", "specProblem"))
                .contains("already managed by PipelineAutoscaler " + NS + "/" + NAME);
        assertThat(published).hasSize(1); // the first's spec stands

        PipelineAutoscalers.in(client).inNamespace(NS).resource(first).delete();
        await("the second takes over", () -> published.size() == 2);
        assertThat(published.get(1).getKey()).isEqualTo(NAME);
        assertThat(published.get(1).getValue()).as("its spec, not a tombstone").isNotNull();
        assertThat(published.get(1).getValue().slaP99Ms()).isEqualTo(120.0);
        await("its problem cleared", () -> statusField("image-classification-copy", "specProblem") == null);

        PipelineAutoscalers.in(client).inNamespace(NS).withName("image-classification-copy").delete();
        await("the tombstone once none is left", () -> published.size() == 3);
        assertThat(published.get(2).getValue()).isNull();
        assertThat(sync.failures()).isZero();
    }

    @Test
    void aDecisionIsWrittenOnceIntoTheStatusSubresource() throws Exception {
        PipelineAutoscalers.in(client).inNamespace(NS).resource(example()).create();
        AutoscalerStatusWriter writer = new AutoscalerStatusWriter(client, NS);
        ScalingDecision d = decision(NAME, 1_800_000_000_000L, Mode.ENFORCE, replicas("inference", StageKind.GPU, 1, 2));

        assertThat(writer.write(d)).isTrue();
        assertThat(writer.write(d)).as("the same decision again").isFalse();
        assertThat(writer.write(decision("no-such-pipeline", 1L, Mode.SHADOW))).isFalse();

        GenericKubernetesResource r = PipelineAutoscalers.in(client).inNamespace(NS).withName(NAME).get();
        Map<String, Object> status = r.get("status");
        assertThat(status).containsEntry("lastDecision", "inference +1 replica")
                .containsEntry("lastDecisionId", d.decisionId())
                .containsEntry("lastDecisionTime", "2027-01-15T08:00:00Z")
                .containsEntry("mode", "enforce").containsEntry("selector", "builtin")
                .containsEntry("p99Ms", 100.0).containsEntry("slaP99Ms", 200.0).containsEntry("slaMet", true);
        assertThat((Map<String, Object>) r.get("spec")).containsEntry("slaP99Ms", 150);
        assertThat(writer.written()).isEqualTo(1);
        assertThat(writer.failures()).isZero();
    }

    /** The sync and the status writer use exactly the accesses KubeAccess declares for them (rbac.yaml's Role). */
    @Test
    void everyCallIsDeclaredInKubeAccessAndEveryAutoscalerAccessIsUsed() throws Exception {
        PipelineAutoscalers.in(client).inNamespace(NS).resource(example()).create();
        await("the spec", () -> published.size() == 1);
        PipelineAutoscalers.in(client).inNamespace(NS).withName(NAME).edit(r -> withSla(r, -5));
        await("the problem on the status", () -> statusField("specProblem") != null);
        new AutoscalerStatusWriter(client, NS).write(decision(NAME, 30_000, Mode.ENFORCE));
        List<KubeAccess> used = new java.util.ArrayList<>();
        io.fabric8.mockwebserver.http.RecordedRequest r;
        while ((r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            String path = r.getPath();
            if (!path.contains("/pipelineautoscalers")) {
                continue; // the test's own CRD
            }
            boolean test = r.getMethod().equals("POST") || r.getMethod().equals("PUT")
                    || (r.getMethod().equals("PATCH") && !path.contains("/status"));
            if (test) {
                continue; // the test creating and editing the resource
            }
            String method = path.contains("watch=true") ? "WATCH" : r.getMethod();
            KubeAccess a = method.equals("WATCH") ? KubeAccess.AUTOSCALERS_WATCH
                    : ApiAccess.of(method, path).orElseThrow(() -> new AssertionError(path + " not in KubeAccess"));
            used.add(a);
        }
        assertThat(used.stream().distinct()).containsExactlyInAnyOrderElementsOf(KubeAccess.of(KubeAccess.Scope.AUTOSCALERS));
    }

    @Test
    void aStatusWriteThatFailsIsCountedNotThrown() {
        // The job's client: no retries of fabric8's own, so the failure shows at once.
        AutoscalerStatusWriter writer = new AutoscalerStatusWriter(
                KubeClients.create(client.getConfiguration(), Duration.ofSeconds(2)), NS);
        server.shutdown();
        assertThat(writer.write(decision(NAME, 30_000, Mode.ENFORCE))).isFalse();
        assertThat(writer.failures()).isEqualTo(1);
    }

    private Object statusField(String field) {
        return statusField(NAME, field);
    }

    private Object statusField(String name, String field) {
        GenericKubernetesResource r = PipelineAutoscalers.in(client).inNamespace(NS).withName(name).get();
        Object status = r.getAdditionalProperties().get("status");
        return status instanceof Map<?, ?> m ? m.get(field) : null;
    }

    @SuppressWarnings("unchecked")
    private static GenericKubernetesResource withSla(GenericKubernetesResource r, int sla) {
        ((Map<String, Object>) r.getAdditionalProperties().get("spec")).put("slaP99Ms", sla);
        return r;
    }

    private static GenericKubernetesResource example() throws Exception {
        try (InputStream in = Files.newInputStream(K8S.resolve("examples").resolve(NAME + ".yaml"))) {
            return Serialization.unmarshal(in, GenericKubernetesResource.class);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
