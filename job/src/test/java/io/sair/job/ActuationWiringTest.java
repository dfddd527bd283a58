package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.connectors.actuate.ConfiguredActuators;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The actuation operators are wired only when switched on, with uids, and without Kryo. */
class ActuationWiringTest {

    private static final List<String> ACTUATION_UIDS = List.of("sair-actuation-join", "sair-actuator",
            "sair-actuation-results-sink");

    private static StreamGraph graph(String... args) {
        Configuration conf = SairJobMain.withJobDefaults(SairJobMain.parseArgs(args));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SairJobMain.wire(conf).build(env);
        return env.getStreamGraph();
    }

    private static List<String> uids(StreamGraph g) {
        return g.getStreamNodes().stream().map(StreamNode::getTransformationUID).toList();
    }

    @Test
    void offByDefault() {
        assertThat(uids(graph())).doesNotContainAnyElementsOf(ACTUATION_UIDS).contains("sair-controller");
    }

    @Test
    void switchedOnTheActuatorsFollowTheControllerWithoutGenericTypes() {
        StreamGraph g = graph("--sair.actuate.kubernetes", "true", "--sair.actuate.gpu-agent", "true");

        assertThat(uids(g)).containsAll(ACTUATION_UIDS);
        // Building the job graph creates every edge's serializer: a Kryo fallback would throw here.
        assertThat(g.getJobGraph().getNumberOfVertices()).isPositive();
    }

    @Test
    void theOptionsReachTheActuators() {
        ConfiguredActuators a = SairJobMain.actuators(SairJobMain.parseArgs(new String[] {
                "--sair.actuate.gpu-agent", "true", "--sair.actuate.gpu-agent.url-template", "http://{nodeName}.agents:9000",
                "--sair.actuate.gpu-agent.token-file", "/var/run/secrets/sair/token", "--sair.actuate.max-attempts", "2",
                "--sair.actuate.backoff", "10s"}));

        assertThat(a.kubernetes()).isFalse();
        assertThat(a.gpuAgent()).isTrue();
        assertThat(a.agentUrlTemplate()).isEqualTo("http://{nodeName}.agents:9000");
        assertThat(a.tokenFile()).isEqualTo("/var/run/secrets/sair/token");
        assertThat(a.retry().maxAttempts()).isEqualTo(2);
        assertThat(a.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(10));
    }
}
