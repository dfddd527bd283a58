package io.sair.connectors.k8smetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.sair.connectors.actuate.Retry;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.window.MetricsCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CPU and memory from the metrics API (metrics.k8s.io, as {@code kubectl top}) on fabric8's mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class PodMetricsReaderITCase {

    private static final String NS = "ml";
    private static final long NOW = 1_800_000_000_000L;
    private static final Retry ONCE = new Retry(1, Duration.ZERO, Duration.ZERO);

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void eachLivePodOfTheStageReportsCpuAndMemoryAgainstItsLimits() throws Exception {
        createDeployment("inf");
        createPod("inf-a", "inf", null, worker("2", "1Gi"), sidecar());
        createPod("inf-b", "inf", null, worker("500m", "512Mi"));
        createPod("inf-old", "inf", "Failed", worker("500m", "512Mi"));
        createPod("other-a", "other", null, worker("500m", "512Mi"));
        // The sidecar has no limits: its 900m is no share of anything and must not count.
        reading("inf-a", Map.of("worker", use("1500m", "256Mi"), "sidecar", use("900m", "64Mi")));
        reading("inf-b", Map.of("worker", use("250000000n", "512Mi")));
        reading("inf-old", Map.of("worker", use("500m", "1Mi")));
        reading("other-a", Map.of("worker", use("500m", "1Mi")));

        List<StageMetrics> got = reader(spec(new KubeTarget(NS, "inf", null, false))).poll();

        assertThat(got).extracting(StageMetrics::pod).containsExactly("inf-a", "inf-b");
        assertThat(got.get(0).cpuUtil()).isCloseTo(0.75, within(1e-9));
        assertThat(got.get(0).memUtil()).isCloseTo(0.25, within(1e-9));
        assertThat(got.get(1).cpuUtil()).isCloseTo(0.5, within(1e-9));
        assertThat(got.get(1).memUtil()).isCloseTo(1.0, within(1e-9));
        for (StageMetrics m : got) {
            assertThat(MetricsCheck.fields(m, NOW)).as("a valid report: %s", m).isEmpty();
            assertThat(m.pipeline()).isEqualTo("imgcls");
            assertThat(m.stage()).isEqualTo("inference");
            assertThat(m.kind()).isEqualTo(StageKind.GPU);
            assertThat(m.ts()).isEqualTo(NOW);
            assertThat(m).as("partial: only CPU and memory").extracting(StageMetrics::replicas, StageMetrics::arrivals,
                    StageMetrics::completions, StageMetrics::queueDepth, StageMetrics::latencyMs, StageMetrics::gpuUtil)
                    .containsOnlyNulls();
        }
        assertThat(paths()).contains("/apis/metrics.k8s.io/v1beta1/namespaces/ml/pods");
    }

    @Test
    void aNamedContainerIsTheOnlyOneCountedAndAResourceWithoutALimitIsLeftOut() {
        createDeployment("inf");
        Container noMemoryLimit = new ContainerBuilder().withName("worker").withImage("app").withNewResources()
                .addToLimits("cpu", new Quantity("1")).endResources().build();
        createPod("inf-a", "inf", null, noMemoryLimit, new ContainerBuilder(worker("1", "1Gi")).withName("proxy").build());
        reading("inf-a", Map.of("worker", use("200m", "900Mi"), "proxy", use("1", "1Gi")));

        List<StageMetrics> got = reader(spec(new KubeTarget(NS, "inf", "worker", false))).poll();

        assertThat(got).singleElement().satisfies(m -> {
            assertThat(m.cpuUtil()).isCloseTo(0.2, within(1e-9));
            assertThat(m.memUtil()).as("the worker has no memory limit").isNull();
        });
    }

    @Test
    void aPodNotYetMeasuredAndAStageWithoutItsDeploymentSayNothingAndTheRestIsRead() {
        createDeployment("inf");
        createPod("inf-a", "inf", null, worker("1", "1Gi"));
        createPod("inf-new", "inf", null, worker("1", "1Gi"));
        reading("inf-a", Map.of("worker", use("1", "512Mi")));
        PipelineSpec spec = new PipelineSpec(null, "imgcls", List.of(
                new StageSpec("gone", StageKind.CPU, new KubeTarget(NS, "missing", null, false), null, null, null),
                new StageSpec("inference", StageKind.GPU, new KubeTarget(NS, "inf", null, false), null, null, null)),
                200.0, null, null, null);

        List<StageMetrics> got = reader(spec).poll();

        assertThat(got).singleElement().satisfies(m -> {
            assertThat(m.stage()).isEqualTo("inference");
            assertThat(m.pod()).isEqualTo("inf-a");
            assertThat(m.cpuUtil()).isEqualTo(1.0);
        });
    }

    private PodMetricsReader reader(PipelineSpec spec) {
        return new PodMetricsReader(client, () -> List.of(spec), Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                ONCE);
    }

    private static PipelineSpec spec(KubeTarget target) {
        return new PipelineSpec(null, "imgcls",
                List.of(new StageSpec("inference", StageKind.GPU, target, null, null, null)), 200.0, null, null, null);
    }

    private static Container worker(String cpuLimit, String memoryLimit) {
        return new ContainerBuilder().withName("worker").withImage("app").withNewResources()
                .addToLimits("cpu", new Quantity(cpuLimit)).addToLimits("memory", new Quantity(memoryLimit))
                .endResources().build();
    }

    private static Container sidecar() {
        return new ContainerBuilder().withName("sidecar").withImage("envoy").build();
    }

    private static Map<String, Quantity> use(String cpu, String memory) {
        return Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory));
    }

    private void createDeployment(String name) {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(worker("1", "1Gi")).endSpec().endTemplate()
                .endSpec().build()).create();
    }

    private void createPod(String name, String app, String phase, Container... containers) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().withContainers(containers).endSpec()
                .withNewStatus().withPhase(phase == null ? "Running" : phase).endStatus()
                .build()).create();
    }

    /** What metrics-server would serve for the pod: its containers' usage over its last window. */
    private void reading(String pod, Map<String, Map<String, Quantity>> usage) {
        PodMetricsBuilder m = new PodMetricsBuilder().withNewMetadata().withName(pod).withNamespace(NS).endMetadata()
                .withTimestamp("2027-01-15T08:00:00Z").withWindow(new io.fabric8.kubernetes.api.model.Duration(Duration.ofSeconds(15)));
        usage.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.addToContainers(
                new ContainerMetricsBuilder().withName(e.getKey()).withUsage(e.getValue()).build()));
        client.resource(m.build()).inNamespace(NS).create();
    }

    private List<String> paths() throws InterruptedException {
        List<String> p = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            p.add(r.getPath().replaceAll("\\?.*", ""));
        }
        return p;
    }
}
