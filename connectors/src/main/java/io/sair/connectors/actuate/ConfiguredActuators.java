package io.sair.connectors.actuate;

import io.sair.connectors.gpu.GpuAgentClient;
import io.sair.connectors.gpu.GpuRateActuator;
import io.sair.connectors.k8s.KubeClients;
import io.sair.connectors.k8s.KubernetesActuator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The actuators as the job's options describe them. The GPU agent token is read here, on the task
 * manager, from a file (a mounted Secret) or else the environment variable {@code SAIR_AGENT_TOKEN}.
 *
 * @param tokenFile path of the agent token file; null or blank = use the environment
 */
public record ConfiguredActuators(boolean kubernetes, boolean gpuAgent, String agentUrlTemplate, String tokenFile,
                                  Duration kubeTimeout, Duration agentTimeout, Retry retry) implements ActuatorFactory {

    public static final String TOKEN_ENV = "SAIR_AGENT_TOKEN";

    @Override
    public List<Actuator> create() throws IOException {
        List<Actuator> list = new ArrayList<>();
        if (kubernetes) {
            list.add(new KubernetesActuator(KubeClients.fromEnvironment(kubeTimeout), retry, Retry.Sleeper.REAL));
        }
        if (gpuAgent) {
            list.add(new GpuRateActuator(KubeClients.fromEnvironment(kubeTimeout),
                    new GpuAgentClient(token(), agentTimeout), agentUrlTemplate, retry, Retry.Sleeper.REAL));
        }
        return list;
    }

    private String token() throws IOException {
        if (tokenFile != null && !tokenFile.isBlank()) {
            return Files.readString(Path.of(tokenFile)).strip();
        }
        String t = System.getenv(TOKEN_ENV);
        if (t == null || t.isBlank()) {
            throw new IllegalStateException("sair.actuate.gpu-agent is on but there is no token: set "
                    + "sair.actuate.gpu-agent.token-file or the environment variable " + TOKEN_ENV);
        }
        return t;
    }
}
