package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.sair.connectors.actuate.ActuationResult;
import io.sair.connectors.actuate.Outcome;
import io.sair.connectors.kafka.ActuationResultSerializer;
import io.sair.core.model.Json;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job with the Kubernetes actuator on: metrics in, the controller decides, the decision is
 * applied to the Deployments on fabric8's mock API server (found through fabric8's {@code kubernetes.master}
 * property), and the actuation results land on sair.actions beside the decisions.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ActuationITCase {


    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("act");

    KubernetesMockServer server;
    KubernetesClient client;


    @AfterEach
    void clearProperties() {
        JobTestSupport.clearFabric8Mock();
    }

    @Test
    void decisionsAreAppliedToTheDeploymentsAndReportedOnTheActionsTopic(@TempDir Path dir) throws Exception {
        JobTestSupport.useFabric8Mock(client);
        ToyPlant plant = new ToyPlant("act-p");
        PipelineSpec spec = onKubernetes(plant.spec);
        for (StageSpec s : spec.stages()) {
            createDeployment(s.name());
        }
        KAFKA.broker().send("act.pipelines", spec.name(), Json.write(spec), ToyPlant.START);
        KAFKA.broker().flush();

        Configuration conf = JobTestSupport.jobConf(KAFKA.broker().bootstrap(), dir, "actuation", "act");
        conf.set(SairOptions.ACTUATE_KUBERNETES, true);
        JobClient job = JobTestSupport.environment(conf, null, null).executeAsync("actuation");
        int windows = 6;
        for (long t = plant.windowStart(); t < plant.windowStart() + windows * 30_000L; t += ToyPlant.PERIOD_MS) {
            for (StageMetrics m : plant.reportsAt(t)) {
                KAFKA.broker().send("act.metrics", m.pipeline(), Json.write(m), t);
            }
        }
        KAFKA.broker().flush();

        List<ConsumerRecord<byte[], byte[]>> actions = KAFKA.broker().readUntil("act.actions", Duration.ofSeconds(90),
                got -> got.stream().anyMatch(ActuationITCase::isActuation));
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        JobTestSupport.cancel(job);

        ActuationResult result = actions.stream().filter(ActuationITCase::isActuation)
                .map(r -> Json.read(r.value(), ActuationResult.class)).findFirst().orElseThrow();
        ScalingDecision decision = actions.stream().filter(r -> !isActuation(r))
                .map(r -> Json.read(r.value(), ScalingDecision.class))
                .filter(d -> d.decisionId().equals(result.decisionId())).findFirst().orElseThrow();
        assertThat(result.actuator()).isEqualTo("kubernetes");
        assertThat(result.outcome()).as(Json.writeString(result)).isEqualTo(Outcome.APPLIED);
        for (StageTarget t : decision.stages()) {
            var template = client.apps().deployments().inNamespace("ml").withName(t.stage()).get().getSpec();
            if (t.dReplicas() != 0) {
                assertThat(template.getReplicas()).as(t.stage()).isEqualTo(t.replicas());
            }
            if (t.dCpuMillis() != 0) {
                assertThat(template.getTemplate().getSpec().getContainers().get(0).getResources().getRequests())
                        .containsEntry("cpu", new Quantity(t.cpuMillis() + "m"));
            }
        }
    }

    private static boolean isActuation(ConsumerRecord<byte[], byte[]> r) {
        return r.headers().lastHeader(ActuationResultSerializer.RECORD_HEADER) != null;
    }

    private static PipelineSpec onKubernetes(PipelineSpec s) {
        return new PipelineSpec(s.v(), s.name(), s.stages().stream().map(st -> new StageSpec(st.name(), st.kind(),
                new KubeTarget("ml", st.name(), null, false), st.limits(), st.gpus(), st.initial())).toList(),
                s.slaP99Ms(), s.prices(), s.policy(), s.mode());
    }

    private void createDeployment(String name) {
        client.apps().deployments().inNamespace("ml").resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace("ml").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(new ContainerBuilder().withName("c").withImage("i")
                        .withNewResources().addToRequests("cpu", new Quantity("1000m"))
                        .addToRequests("memory", new Quantity("1024Mi")).endResources().build())
                .endSpec().endTemplate().endSpec().build()).create();
    }
}
