package io.sair.connectors.gpu;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.sair.core.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The per-node GPU agent's HTTP API (gpu-agent/README.md): {@code PUT /v1/workloads/{workload}/rate}
 * with a bearer token. One attempt per call; the retries are the caller's ({@link io.sair.connectors.actuate.Retry}).
 */
public final class GpuAgentClient implements AutoCloseable {

    /** The agent's answer: the rate now in force and the processes that confirmed it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RateAnswer(String workload, double rate, List<Long> pids) {
    }

    private final HttpClient http;
    private final String token;
    private final Duration requestTimeout;

    /**
     * @param token the agent's bearer token (never logged)
     * @param timeout bounds the connect and the whole request: a rate change takes milliseconds, and a
     *                hung agent must not hold the actuator for long
     */
    public GpuAgentClient(String token, Duration timeout) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the GPU agent token is missing");
        }
        this.token = token.strip();
        this.requestTimeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** Sets a workload's rate on one agent. */
    public RateAnswer setRate(URI agent, String workload, double rate) throws AgentException, InterruptedException {
        String base = agent.toString().endsWith("/") ? agent.toString() : agent + "/";
        URI uri = URI.create(base + "v1/workloads/" + URLEncoder.encode(workload, StandardCharsets.UTF_8) + "/rate");
        String body = Json.MAPPER.createObjectNode().put("rate", rate).toString();
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AgentException(0, agent + " unreachable: " + e, e);
        }
        if (resp.statusCode() != 200) {
            throw new AgentException(resp.statusCode(), "HTTP " + resp.statusCode() + " from " + agent + ": "
                    + errorOf(resp.body()), null);
        }
        try {
            return Json.MAPPER.readValue(resp.body(), RateAnswer.class);
        } catch (IOException e) {
            throw new AgentException(502, "unreadable answer from " + agent + ": " + e.getMessage(), e);
        }
    }

    private static String errorOf(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                return n.get("error").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not the agent's JSON error: show the start of the body
        }
        String s = body == null ? "" : body.strip();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() before Java 21; its threads end with it.
    }
}
