package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.sair.connectors.k8s.PipelineAutoscalers;
import io.sair.core.model.Json;
import io.sair.core.model.StageMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop with sair.kubernetes.autoscalers on: a PipelineAutoscaler on fabric8's mock API server
 * is synced to the pipelines topic, the running job decides on it and writes its status; an edit of
 * the resource's SLA reaches the running job (the status then holds the p99 against the new SLA).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class PipelineAutoscalerJobITCase {

    private static final String NS = "sair";

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("cr");

    KubernetesClient client;


    @AfterEach
    void clearProperties() {
        JobTestSupport.clearFabric8Mock();
    }

    @Test
    void aResourceDrivesTheRunningJobAndShowsItsDecisions(@TempDir Path dir) throws Exception {
        JobTestSupport.useFabric8Mock(client);
        ToyPlant plant = new ToyPlant("cr-p");
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(PipelineAutoscalers.API_VERSION);
        resource.setKind(PipelineAutoscalers.KIND);
        resource.setMetadata(new ObjectMetaBuilder().withName("toy").withNamespace(NS).build());
        resource.setAdditionalProperty("spec", Json.MAPPER.convertValue(plant.spec, Map.class));
        PipelineAutoscalers.in(client).inNamespace(NS).resource(resource).create();

        Configuration conf = JobTestSupport.jobConf(KAFKA.broker().bootstrap(), dir, "autoscalers", "cr");
        conf.set(SairOptions.KUBE_AUTOSCALERS, true);
        conf.set(SairOptions.KUBE_AUTOSCALERS_NAMESPACE, NS);
        try (AutoCloseable sync = SairJobMain.autoscalerSync(conf)) {
            KAFKA.broker().readUntil("cr.pipelines", Duration.ofSeconds(20), got -> !got.isEmpty());
            JobClient job = JobTestSupport.environment(conf, null, null).executeAsync("autoscalers");
            sendWindows(plant, 0, 6);
            Map<String, Object> first = awaitStatus(s -> s.get("lastDecisionId") != null);
            assertThat(first).containsEntry("slaP99Ms", plant.spec.slaP99Ms()).containsKeys("lastDecision",
                    "lastDecisionTime", "selector", "bottleneck", "p99Ms", "mode");

            double newSla = plant.spec.slaP99Ms() * 2;
            // A merge patch, as `kubectl patch --type merge` sends: an edit() could lose the race with the
            // job's status writes (409 on a stale resourceVersion).
            PipelineAutoscalers.in(client).inNamespace(NS).withName("toy").patch(PatchContext.of(PatchType.JSON_MERGE),
                    Json.writeString(Map.of("spec", Map.of("slaP99Ms", newSla))));
            KAFKA.broker().readUntil("cr.pipelines", Duration.ofSeconds(20), got -> got.size() >= 2);
            // The plant keeps reporting, a window at a time, until a decision shows the new SLA: the
            // spec topic and the metrics topic are read independently, so the change lands at some window.
            Predicate<Map<String, Object>> newSlaShown = s -> ((Number) s.get("slaP99Ms")).doubleValue() == newSla;
            int window = 6;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!newSlaShown.test(status()) && System.nanoTime() < deadline) {
                sendWindows(plant, window, window + 1);
                window++;
                Thread.sleep(1000);
            }
            assertThat(status()).as("status after the edit, %d windows sent", window).matches(newSlaShown);
            System.out.printf("PipelineAutoscalerJobITCase: new SLA in the status after %d more windows%n", window - 6);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            JobTestSupport.cancel(job);
        }
    }

    private static void sendWindows(ToyPlant plant, int from, int to) {
        for (long t = plant.windowStart() + from * 30_000L; t < plant.windowStart() + to * 30_000L; t += ToyPlant.PERIOD_MS) {
            for (StageMetrics m : plant.reportsAt(t)) {
                KAFKA.broker().send("cr.metrics", m.pipeline(), Json.write(m), t);
            }
        }
        KAFKA.broker().flush();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> status() {
        return (Map<String, Object>) PipelineAutoscalers.in(client).inNamespace(NS).withName("toy").get()
                .getAdditionalProperties().get("status");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitStatus(Predicate<Map<String, Object>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            Object status = PipelineAutoscalers.in(client).inNamespace(NS).withName("toy").get()
                    .getAdditionalProperties().get("status");
            if (status instanceof Map<?, ?> s && condition.test((Map<String, Object>) s)) {
                return (Map<String, Object>) s;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no such status in time");
    }
}
