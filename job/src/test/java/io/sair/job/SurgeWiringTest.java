package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The fast path's branch is wired by default, with uids and without Kryo; off, or with a bad window, it is not. */
class SurgeWiringTest {

    private static final List<String> SURGE_UIDS = List.of("sair-surge-windows", "sair-surge-contexts",
            "sair-surge-input");

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
    void onByDefaultBesideTheRounds() {
        StreamGraph g = graph();
        assertThat(uids(g)).containsAll(SURGE_UIDS).contains("sair-round-input", "sair-controller",
                SairJob.STAGE_WINDOWS_UID);
        // Building the job graph creates every edge's serializer: a Kryo fallback would throw here.
        assertThat(g.getJobGraph().getNumberOfVertices()).isPositive();
    }

    @Test
    void switchedOffTheRoundsAloneReachTheController() {
        assertThat(uids(graph("--sair.surge.enabled", "false"))).doesNotContainAnyElementsOf(SURGE_UIDS)
                .contains("sair-round-input", "sair-controller");
    }

    @Test
    void aShortWindowThatDoesNotDivideTheRoundIsRefused() {
        assertThatThrownBy(() -> graph("--sair.surge.window", "7s")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sair.surge.window");
        assertThatThrownBy(() -> graph("--sair.surge.window", "30s")).isInstanceOf(IllegalArgumentException.class);
    }
}
