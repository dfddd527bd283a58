package io.sair.gpuagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent, a shim-loaded process on the fake driver, and real HTTP calls. */
class GpuAgentITCase {
    private static final String TOKEN = "it-token-123";
    private static final String WORKLOAD = "pipe-a/infer/pod-0";

    @TempDir
    Path socketDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private GpuAgent agent;
    private ShimProcess shim;

    @BeforeEach
    void start() throws Exception {
        agent = new GpuAgent(new GpuAgent.Config(socketDir, new InetSocketAddress("127.0.0.1", 0), TOKEN,
                Duration.ofMillis(200), Duration.ofSeconds(5), null, 0), Clock.systemUTC()).start();
        shim = ShimProcess.start(socketDir, WORKLOAD, Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (workload() == null) {
            assertThat(System.nanoTime()).as("shim registered").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (shim != null) {
            shim.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void kernelThroughputFollowsTheCommandedRate() throws Exception {
        Thread.sleep(400); // the shim's capacity calibration
        double full = blocksPerSecond(1000);

        HttpResponse<String> put = putRate(WORKLOAD, "{\"rate\": 0.5}", TOKEN);
        assertThat(put.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(put.body());
        assertThat(body.get("workload").asText()).isEqualTo(WORKLOAD);
        assertThat(body.get("rate").asDouble()).isEqualTo(0.5);
        assertThat(body.get("pids")).hasSize(1);
        assertThat(body.get("pids").get(0).asLong()).isEqualTo(shim.pid());
        Thread.sleep(300);
        double half = blocksPerSecond(1000);

        assertThat(putRate(WORKLOAD, "{\"rate\": 0.2}", TOKEN).statusCode()).isEqualTo(200);
        Thread.sleep(300);
        double fifth = blocksPerSecond(1000);

        // The fake device does 500k blocks/s; the sync loop reaches most of it.
        assertThat(full).isGreaterThan(200_000);
        assertThat(half / full).isCloseTo(0.5, within(0.06));
        assertThat(fifth / full).isCloseTo(0.2, within(0.03));
        JsonNode w = workload();
        assertThat(w.get("rate").asDouble()).isEqualTo(0.2);
        assertThat(w.get("throttledNs").asLong()).isPositive();
        assertThat(w.get("pid").asLong()).isEqualTo(shim.pid());
        // The real shim names its socket after its PID namespace and pid, the agent's id for it.
        String pidNs = Files.readSymbolicLink(Path.of("/proc/" + shim.pid() + "/ns/pid")).toString();
        String id = pidNs.replaceAll("\\D", "") + "-" + shim.pid();
        assertThat(w.get("id").asText()).isEqualTo(id);
        assertThat(socketDir.resolve(id + ".sock")).exists();
    }

    @Test
    void refusesRequestsWithoutTheToken() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(uri("/v1/workloads")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(putRate(WORKLOAD, "{\"rate\": 0.5}", "wrong-token").statusCode()).isEqualTo(401);
        assertThat(putRate(WORKLOAD, "{\"rate\": 0.5}", TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(workload().get("rate").asDouble()).isEqualTo(1.0);
    }

    @Test
    void answersBadRequestsAndUnknownWorkloads() throws Exception {
        assertThat(putRate("nobody/infer/pod-9", "{\"rate\": 0.5}", TOKEN).statusCode()).isEqualTo(404);
        assertThat(putRate(WORKLOAD, "{\"rate\": 1.5}", TOKEN).statusCode()).isEqualTo(400);
        assertThat(putRate(WORKLOAD, "{\"rate\": 0.05}", TOKEN).statusCode()).isEqualTo(400);
        assertThat(putRate(WORKLOAD, "{\"rate\": \"half\"}", TOKEN).statusCode()).isEqualTo(400);
        assertThat(putRate(WORKLOAD, "{}", TOKEN).statusCode()).isEqualTo(400);
        assertThat(putRate(WORKLOAD, "not json", TOKEN).statusCode()).isEqualTo(400);
        assertThat(workload().get("rate").asDouble()).isEqualTo(1.0);
        // The id may also come percent-encoded.
        assertThat(putRate("pipe-a%2Finfer%2Fpod-0", "{\"rate\": 0.9}", TOKEN).statusCode()).isEqualTo(200);
        assertThat(workload().get("rate").asDouble()).isEqualTo(0.9);
    }

    @Test
    void servesHealthAndMetricsWithoutAuth() throws Exception {
        assertThat(putRate(WORKLOAD, "{\"rate\": 0.3}", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("sair_gpu_rate{workload=\"" + WORKLOAD + "\",} 0.3")
                .contains("sair_gpu_launches_total{workload=\"" + WORKLOAD + "\",}")
                .contains("sair_gpu_blocks_total{workload=\"" + WORKLOAD + "\",}")
                .contains("sair_gpu_throttled_seconds_total{workload=\"" + WORKLOAD + "\",}");
    }

    @Test
    void dropsAProcessThatDies() throws Exception {
        shim.close();
        shim = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (workload() != null) {
            assertThat(System.nanoTime()).as("dead shim dropped").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(putRate(WORKLOAD, "{\"rate\": 0.5}", TOKEN).statusCode()).isEqualTo(404);
    }

    private double blocksPerSecond(long millis) throws Exception {
        long b0 = workload().get("blocks").asLong();
        long t0 = System.nanoTime();
        Thread.sleep(millis);
        long b1 = workload().get("blocks").asLong();
        return (b1 - b0) / ((System.nanoTime() - t0) / 1e9);
    }

    private JsonNode workload() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/workloads"))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        for (JsonNode w : json.readTree(r.body())) {
            if (w.get("workload").asText().equals(WORKLOAD)) {
                return w;
            }
        }
        return null;
    }

    private HttpResponse<String> putRate(String workload, String body, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/v1/workloads/" + workload + "/rate"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + agent.port() + path);
    }
}
