package io.sair.connectors.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sair.core.model.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server speaking the GPU agent's HTTP API as gpu-agent/README.md defines it (bearer auth
 * with 401 + WWW-Authenticate, PUT /v1/workloads/{workload}/rate with literal or %2F slashes, 400/404/405
 * and JSON errors), with workloads in memory instead of shims, and scriptable server errors.
 */
public final class TestingGpuAgent implements AutoCloseable {

    private static final String PREFIX = "/v1/workloads/";

    public final Map<String, Double> rates = new ConcurrentHashMap<>();
    final List<String> calls = new ArrayList<>();
    private final Map<String, List<Long>> pids = new ConcurrentHashMap<>();
    private final String token;
    private final HttpServer server;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus;

    public TestingGpuAgent(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A shim-loaded process of this workload is running under this agent. */
    public void register(String workload, long pid) {
        rates.putIfAbsent(workload, 1.0);
        pids.computeIfAbsent(workload, w -> new ArrayList<>()).add(pid);
    }

    /** The next {@code n} requests fail with {@code status}. */
    void failNext(int n, int status) {
        failureStatus = status;
        failures.set(n);
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            synchronized (this) {
                calls.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " "
                        + ex.getRequestHeaders().getFirst("Authorization"));
            }
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                reply(ex, 401, error("missing or wrong bearer token"));
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(ex, failureStatus, error("scripted failure"));
                return;
            }
            String path = URLDecoder.decode(ex.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
            if (!path.startsWith(PREFIX) || !path.endsWith("/rate")) {
                reply(ex, 404, error("no such resource"));
                return;
            }
            if (!ex.getRequestMethod().equals("PUT")) {
                reply(ex, 405, error("method not allowed"));
                return;
            }
            String workload = path.substring(PREFIX.length(), path.length() - "/rate".length());
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(ex.getRequestBody());
            } catch (IOException e) {
                reply(ex, 400, error("body is not JSON"));
                return;
            }
            if (body == null || !body.isObject() || !body.path("rate").isNumber()
                    || body.get("rate").asDouble() < 0.1 || body.get("rate").asDouble() > 1.0) {
                reply(ex, 400, error("body must be {\"rate\": r} with r in [0.1, 1]"));
                return;
            }
            if (!pids.containsKey(workload)) {
                reply(ex, 404, error("no process with workload " + workload));
                return;
            }
            double rate = body.get("rate").asDouble();
            rates.put(workload, rate);
            reply(ex, 200, Json.MAPPER.createObjectNode().put("workload", workload).put("rate", rate)
                    .set("pids", Json.MAPPER.valueToTree(pids.get(workload))).toString());
        }
    }

    private static String error(String reason) {
        return Json.MAPPER.createObjectNode().put("error", reason).toString();
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
