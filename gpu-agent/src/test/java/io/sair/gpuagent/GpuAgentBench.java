package io.sair.gpuagent;

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
import org.HdrHistogram.Histogram;

/**
 * Benchmark (not a test): latency of {@code PUT /v1/workloads/{w}/rate} from the HTTP call to the agent's 200,
 * which it sends after the shim confirmed the new rate over its socket. A shim-loaded kernel stream runs meanwhile.
 * Run: see gpu-agent/README.md, "Measured".
 */
public final class GpuAgentBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path dir = Files.createTempDirectory("sair-bench");
        String workload = "bench/infer/pod-0";
        try (GpuAgent agent = new GpuAgent(new GpuAgent.Config(dir, new InetSocketAddress("127.0.0.1", 0), "bench-token",
                Duration.ofSeconds(1), Duration.ofSeconds(5), null, 0), Clock.systemUTC()).start();
                ShimProcess shim = ShimProcess.start(dir, workload, Map.of())) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + agent.port() + "/v1/workloads/" + workload + "/rate");
            while (agent.registry().refresh().isEmpty()) {
                Thread.sleep(50);
            }
            Histogram h = new Histogram(3_600_000_000L, 3);
            for (int i = 0; i < n + 200; i++) {
                HttpRequest put = HttpRequest.newBuilder(uri).header("Authorization", "Bearer bench-token")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"rate\": " + (i % 2 == 0 ? 0.5 : 0.6) + "}")).build();
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
                long dt = System.nanoTime() - t0;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("PUT answered " + r.statusCode() + ": " + r.body());
                }
                if (i >= 200) { // after JIT warm-up
                    h.recordValue(dt);
                }
            }
            System.out.printf("HTTP PUT rate -> 200 (shim confirmed), %d calls, keep-alive client: p50 %.1f us, p99 %.1f us%n",
                    n, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3);
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }
}
