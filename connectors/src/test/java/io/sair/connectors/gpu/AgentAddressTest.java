package io.sair.connectors.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.URI;
import org.junit.jupiter.api.Test;

class AgentAddressTest {

    private static Pod pod(String node, String hostIp) {
        return new PodBuilder().withNewMetadata().withName("infer-0").withNamespace("ml").endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withHostIP(hostIp).endStatus().build();
    }

    @Test
    void placeholdersAreFilledFromThePod() {
        Pod p = pod("gpu-node-7", "10.0.3.7");

        assertThat(AgentAddress.of(AgentAddress.DEFAULT_TEMPLATE, p)).isEqualTo(URI.create("http://10.0.3.7:8470"));
        assertThat(AgentAddress.of("http://agent-{nodeName}.{namespace}:9000", p))
                .isEqualTo(URI.create("http://agent-gpu-node-7.ml:9000"));
        assertThat(AgentAddress.of("http://10.1.1.1:8470", p)).isEqualTo(URI.create("http://10.1.1.1:8470"));
    }

    @Test
    void aPodWithoutItsNodeYetOrAnUnknownPlaceholderIsAClearError() {
        assertThatThrownBy(() -> AgentAddress.of(AgentAddress.DEFAULT_TEMPLATE, pod(null, null)))
                .hasMessage("pod infer-0 has no hostIP yet");
        assertThatThrownBy(() -> AgentAddress.of("http://{node}:1", pod("n", "1.2.3.4")))
                .hasMessageContaining("unknown placeholder {node}");
        assertThatThrownBy(() -> AgentAddress.of("{hostIP}:8470", pod("n", "1.2.3.4")))
                .hasMessageStartingWith("bad GPU agent URL '1.2.3.4:8470'");
        assertThatThrownBy(() -> AgentAddress.of("agent.local:8470", pod("n", "1.2.3.4")))
                .hasMessage("GPU agent URL 'agent.local:8470' needs a scheme and a host");
    }
}
