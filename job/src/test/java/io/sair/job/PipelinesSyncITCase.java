package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.sair.connectors.k8s.PipelineAutoscalers;
import io.sair.core.model.Json;
import io.sair.core.model.PipelineSpec;
import io.sair.job.cli.SairCli;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code sair pipelines sync}, what runs beside a job submitted detached: on fabric8's mock API server,
 * a PipelineAutoscaler reaches the pipelines topic keyed by its pipeline, its deletion a tombstone, and
 * the command stops cleanly when interrupted.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class PipelinesSyncITCase {

    private static final String NS = "sair";

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("sy");

    KubernetesClient client;

    @AfterEach
    void clearProperties() {
        JobTestSupport.clearFabric8Mock();
    }

    @Test
    void publishesResourcesAndTombstonesUntilStopped() throws Exception {
        JobTestSupport.useFabric8Mock(client);
        PipelineSpec spec = new ToyPlant("sy-p").spec;
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(PipelineAutoscalers.API_VERSION);
        resource.setKind(PipelineAutoscalers.KIND);
        resource.setMetadata(new ObjectMetaBuilder().withName("toy").withNamespace(NS).build());
        resource.setAdditionalProperty("spec", Json.MAPPER.convertValue(spec, Map.class));
        PipelineAutoscalers.in(client).inNamespace(NS).resource(resource).create();

        AtomicInteger exit = new AtomicInteger(-1);
        Thread command = new Thread(() -> exit.set(SairCli.run("pipelines", "sync", "--bootstrap-servers",
                KAFKA.broker().bootstrap(), "--topic", "sy.pipelines", "--namespace", NS)), "sync-command");
        command.start();
        try {
            List<ConsumerRecord<byte[], byte[]>> got = KAFKA.broker().readUntil("sy.pipelines", Duration.ofSeconds(30),
                    r -> !r.isEmpty());
            assertThat(new String(got.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("sy-p");
            assertThat(Json.MAPPER.readTree(got.get(0).value()).get("slaP99Ms").asDouble()).isEqualTo(spec.slaP99Ms());

            PipelineAutoscalers.in(client).inNamespace(NS).withName("toy").delete();
            List<ConsumerRecord<byte[], byte[]>> after = KAFKA.broker().readUntil("sy.pipelines", Duration.ofSeconds(30),
                    r -> r.stream().anyMatch(c -> c.value() == null));
            assertThat(after).filteredOn(c -> c.value() == null).extracting(c -> new String(c.key(), StandardCharsets.UTF_8))
                    .containsExactly("sy-p");
            assertThat(command.isAlive()).as("the sync keeps running").isTrue();
        } finally {
            command.interrupt();
            command.join(15_000);
        }
        assertThat(command.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }
}
