package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The fast path's short windows reach the controller by default, without Kryo; off, or with a bad window, they do not. */
class SurgeWiringTest {

    private static StreamGraph graph(String... args) {
        Configuration conf = SairJobMain.withJobDefaults(SairJobMain.parseArgs(args));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SairJobMain.wire(conf).build(env);
        return env.getStreamGraph();
    }

    private static List<String> uids(StreamGraph g) {
        return g.getStreamNodes().stream().map(StreamNode::getTransformationUID).toList();
    }

    /** The uids of the operators whose output the controller reads. */
    private static List<String> controllerInputs(StreamGraph g) {
        StreamNode controller = g.getStreamNodes().stream()
                .filter(n -> SairJob.CONTROLLER_UID.equals(n.getTransformationUID())).findFirst().orElseThrow();
        return controller.getInEdges().stream().map(e -> g.getStreamNode(e.getSourceId()).getTransformationUID()).toList();
    }

    @Test
    void onByDefaultBesideTheRounds() {
        StreamGraph g = graph();
        // The short windows go from the stage windows straight to the controller, beside the rounds.
        assertThat(controllerInputs(g)).contains("sair-round-input", SairJob.STAGE_WINDOWS_UID);
        assertThat(uids(g)).doesNotContain("sair-surge-windows", "sair-surge-contexts");
        // Building the job graph creates every edge's serializer: a Kryo fallback would throw here.
        assertThat(g.getJobGraph().getNumberOfVertices()).isPositive();
    }

    @Test
    void switchedOffTheRoundsAloneReachTheController() {
        assertThat(controllerInputs(graph("--sair.surge.enabled", "false"))).contains("sair-round-input")
                .doesNotContain(SairJob.STAGE_WINDOWS_UID);
    }

    @Test
    void aShortWindowThatDoesNotDivideTheRoundIsRefused() {
        assertThatThrownBy(() -> graph("--sair.surge.window", "7s")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sair.surge.window");
        assertThatThrownBy(() -> graph("--sair.surge.window", "30s")).isInstanceOf(IllegalArgumentException.class);
    }
}
