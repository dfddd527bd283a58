package io.sair.gpuagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The DaemonSet's probes ask the agent's /healthz over HTTP (job's K8sManifestsTest checks the rest). */
class AgentManifestTest {

    @Test
    void probesAskHealthOverHttpNotJustAnOpenPort() throws Exception {
        String manifest = Files.readString(Path.of("..", "k8s", "gpu-agent-daemonset.yaml"));
        assertThat(manifest).doesNotContain("tcpSocket");
        assertThat(manifest.split("httpGet: \\{path: /healthz, port: http}", -1)).hasSize(3); // readiness, liveness
    }
}
