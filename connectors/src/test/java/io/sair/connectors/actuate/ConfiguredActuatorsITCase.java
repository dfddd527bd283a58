package io.sair.connectors.actuate;

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
import io.sair.connectors.gpu.TestingGpuAgent;
import io.sair.core.model.KubeTarget;
import io.sair.core.model.Mode;
import io.sair.core.model.StageKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The actuators as the job configures them, inside a MiniCluster: the Kubernetes client found from the
 * environment (here the fabric8 mock, through fabric8's {@code kubernetes.master} property), the agent
 * token read from a file on the task manager, results out of the async operator.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ConfiguredActuatorsITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final List<String> PROPERTIES = List.of("kubernetes.master", "kubernetes.auth.tryKubeConfig",
            "kubernetes.auth.tryServiceAccount", "kubernetes.http2.disable");

    KubernetesMockServer server;
    KubernetesClient client;

    private TestingGpuAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("kubernetes.master", client.getConfiguration().getMasterUrl());
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.http2.disable", "true");
        agent = new TestingGpuAgent("t0ken");
        agent.register("p/infer/infer-0", 7);
        for (String name : List.of("pre", "infer")) {
            client.apps().deployments().inNamespace("ml").resource(new DeploymentBuilder()
                    .withNewMetadata().withName(name).withNamespace("ml").endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                    .withNewSpec().withContainers(new ContainerBuilder().withName("c").withImage("i").build()).endSpec()
                    .endTemplate().endSpec().build()).create();
        }
        client.pods().inNamespace("ml").resource(new PodBuilder()
                .withNewMetadata().withName("infer-0").withNamespace("ml").addToLabels("app", "infer").endMetadata()
                .withNewSpec().withContainers(new ContainerBuilder().withName("c").withImage("i").build()).endSpec()
                .withNewStatus().withPhase("Running").withHostIP("127.0.0.1").endStatus().build()).create();
    }

    @AfterEach
    void tearDown() {
        PROPERTIES.forEach(System::clearProperty);
        agent.close();
    }

    @Test
    void bothActuatorsApplyADecisionFromInsideTheJob(@TempDir Path dir) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "t0ken\n");
        ConfiguredActuators actuators = new ConfiguredActuators(true, true, "http://{hostIP}:" + agent.port(),
                tokenFile.toString(), Duration.ofSeconds(5), Duration.ofSeconds(2), TestDecisions.FAST_RETRY);
        ActuationRequest request = new ActuationRequest(decision("p", 30_000, Mode.ENFORCE,
                replicas("pre", StageKind.CPU, 1, 3), rate("infer", 1, 1.0, 0.5)), spec("p", Mode.ENFORCE,
                stage("pre", StageKind.CPU, new KubeTarget("ml", "pre", null, false)),
                stage("infer", StageKind.GPU, new KubeTarget("ml", "infer", null, false))));

        Configuration conf = new Configuration();
        conf.setString("pipeline.generic-types", "false");
        conf.setString("pipeline.auto-generate-uids", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        DataStream<ActuationRequest> in = env.fromData(List.of(request), TypeInformation.of(ActuationRequest.class))
                .uid("requests").name("requests");
        List<ActuationResult> results = AsyncDataStream.orderedWait(in,
                        new ActuatorFunction(actuators, Duration.ofSeconds(30)), 30, TimeUnit.SECONDS, 4)
                .returns(TypeInformation.of(ActuationResult.class)).uid("actuators").name("actuators")
                .executeAndCollect(10);

        Map<String, Outcome> byActuator = results.stream()
                .collect(Collectors.toMap(ActuationResult::actuator, ActuationResult::outcome));
        assertThat(byActuator).containsExactlyInAnyOrderEntriesOf(Map.of("kubernetes", Outcome.APPLIED,
                "gpu-agent", Outcome.APPLIED));
        assertThat(client.apps().deployments().inNamespace("ml").withName("pre").get().getSpec().getReplicas())
                .isEqualTo(3);
        assertThat(agent.rates).containsEntry("p/infer/infer-0", 0.5);
    }
}
