package io.sair.gpuagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API (JDK HttpServer). {@code /v1/*} needs {@code Authorization: Bearer <token>};
 * {@code /healthz} and {@code /metrics} do not. See gpu-agent/README.md for the contract.
 */
public final class AgentHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class);
    private static final Pattern RATE_PATH = Pattern.compile("/v1/workloads/(.+)/rate");
    private static final int MAX_BODY = 4096;

    static {
        // The JDK server writes headers and body separately; with Nagle on, a keep-alive client waits
        // for the delayed ACK (~40 ms per call). Read once when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final ShimRegistry registry;
    private final CollectorRegistry metrics;
    private final byte[] tokenHash;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;

    public record WorkloadView(String id, long pid, String workload, double rate, long launches, long blocks,
            long throttledNs) {
        static WorkloadView of(ShimStats s) {
            return new WorkloadView(s.id(), s.pid(), s.workload(), s.rate(), s.launches(), s.blocks(), s.throttledNs());
        }
    }

    public record RateResult(String workload, double rate, List<Long> pids) {}

    public AgentHttpServer(InetSocketAddress address, String token, ShimRegistry registry, CollectorRegistry metrics)
            throws IOException {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("an API token is required");
        }
        this.registry = registry;
        this.metrics = metrics;
        this.tokenHash = sha256(token);
        this.server = HttpServer.create(address, 0);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "gpu-agent-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            if (path.equals("/healthz")) {
                reply(ex, method.equals("GET") ? 200 : 405, "text/plain", "ok\n");
            } else if (path.equals("/metrics")) {
                metrics(ex, method);
            } else if (path.startsWith("/v1/")) {
                if (!authorised(ex)) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    error(ex, 401, "missing or wrong bearer token");
                } else {
                    api(ex, method, path);
                }
            } else {
                error(ex, 404, "no such resource");
            }
        } catch (RuntimeException e) {
            LOG.warn("request failed", e);
            error(ex, 500, "internal error");
        }
    }

    private void api(HttpExchange ex, String method, String path) throws IOException {
        if (path.equals("/v1/workloads")) {
            if (!method.equals("GET")) {
                error(ex, 405, "use GET");
                return;
            }
            List<WorkloadView> views = registry.refresh().stream().map(WorkloadView::of).toList();
            reply(ex, 200, "application/json", json.writeValueAsString(views));
            return;
        }
        Matcher m = RATE_PATH.matcher(path);
        if (!m.matches()) {
            error(ex, 404, "no such resource");
            return;
        }
        if (!method.equals("PUT")) {
            error(ex, 405, "use PUT");
            return;
        }
        String workload = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        Double rate = readRate(ex.getRequestBody());
        if (rate == null) {
            error(ex, 400, "body must be {\"rate\": <number in [0.1, 1]>}");
            return;
        }
        List<Long> pids = registry.setRate(workload, rate);
        if (pids.isEmpty()) {
            error(ex, 404, "unknown workload");
            return;
        }
        LOG.info("rate of {} set to {} (pids {})", workload, rate, pids);
        reply(ex, 200, "application/json", json.writeValueAsString(new RateResult(workload, rate, pids)));
    }

    /** The rate from {"rate": x}, or null when the body is not that or x is outside [0.1, 1]. */
    private Double readRate(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            return null;
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.isObject() || !node.path("rate").isNumber()) {
            return null;
        }
        double rate = node.get("rate").asDouble();
        return rate >= 0.1 && rate <= 1.0 ? rate : null;
    }

    private void metrics(HttpExchange ex, String method) throws IOException {
        if (!method.equals("GET")) {
            error(ex, 405, "use GET");
            return;
        }
        StringWriter w = new StringWriter();
        TextFormat.write004(w, metrics.metricFamilySamples());
        reply(ex, 200, TextFormat.CONTENT_TYPE_004, w.toString());
    }

    private boolean authorised(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        // Hashing first makes the comparison constant time whatever the lengths.
        return MessageDigest.isEqual(sha256(given), tokenHash);
    }

    private void error(HttpExchange ex, int status, String message) throws IOException {
        reply(ex, status, "application/json", json.writeValueAsString(Map.of("error", message)));
    }

    private static void reply(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
