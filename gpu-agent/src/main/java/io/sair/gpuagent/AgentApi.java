package io.sair.gpuagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's routes: {@code /healthz} and {@code /metrics} open, {@code /v1/*} behind the bearer token
 * (see gpu-agent/README.md). Every error is {@code {"error": ...}}. A request body is read without holding
 * a thread, and the {@link RequestDeadline} is told when a request is in and when it was answered.
 */
final class AgentApi extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(AgentApi.class);
    private static final Pattern RATE_PATH = Pattern.compile("/v1/workloads/(.+)/rate");
    static final int MAX_BODY = 4096;

    record WorkloadView(String id, long pid, String workload, double rate, long launches, long blocks, long throttledNs) {
        static WorkloadView of(ShimStats s) {
            return new WorkloadView(s.id(), s.pid(), s.workload(), s.rate(), s.launches(), s.blocks(), s.throttledNs());
        }
    }

    record RateResult(String workload, double rate, List<Long> pids) {}

    private final byte[] tokenHash;
    private final ShimRegistry registry;
    private final CollectorRegistry metrics;
    private final AuthFailures authFailures;
    private final RequestDeadline deadline;
    private final Executor worker;
    private final ObjectMapper json = new ObjectMapper();

    AgentApi(String token, ShimRegistry registry, CollectorRegistry metrics, AuthFailures authFailures,
             RequestDeadline deadline, Executor worker) {
        this.tokenHash = sha256(token);
        this.registry = registry;
        this.metrics = metrics;
        this.authFailures = authFailures;
        this.deadline = deadline;
        this.worker = worker;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        Request.addCompletionListener(request, failure -> deadline.answered(connection));
        try {
            String path = request.getHttpURI().getPath();
            String method = request.getMethod();
            if (path.equals("/healthz")) {
                deadline.received(connection);
                if (method.equals("GET")) {
                    reply(response, callback, 200, "text/plain", "ok\n");
                } else {
                    error(response, callback, 405, "use GET");
                }
            } else if (path.equals("/metrics")) {
                deadline.received(connection);
                metrics(response, callback, method);
            } else if (path.startsWith("/v1/")) {
                api(request, response, callback, connection, method, path);
            } else {
                deadline.received(connection);
                error(response, callback, 404, "no such resource");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("request failed", e);
            error(response, callback, 500, "internal error");
        }
        return true;
    }

    private void api(Request request, Response response, Callback callback, Connection connection, String method,
                     String path) throws IOException {
        AuthFailures.Reason refused = authenticate(request);
        if (refused != null) {
            deadline.received(connection);
            String line = authFailures.record(refused, Request.getRemoteAddr(request));
            if (line != null) {
                LOG.warn(line);
            }
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            // The body of a refused request is not read, so the connection cannot carry another request: say so, or
            // a keep-alive client sends its next request on a connection the server is closing (seen in CI: the
            // JDK client's "header parser received no bytes" on the request after a refused PUT).
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            error(response, callback, 401, "missing or wrong bearer token");
            return;
        }
        if (path.equals("/v1/workloads")) {
            deadline.received(connection);
            if (!method.equals("GET")) {
                error(response, callback, 405, "use GET");
                return;
            }
            List<WorkloadView> views = registry.refresh().stream().map(WorkloadView::of).toList();
            reply(response, callback, 200, JsonErrorHandler.JSON, json.writeValueAsString(views));
            return;
        }
        Matcher m = RATE_PATH.matcher(path);
        if (!m.matches() || !method.equals("PUT")) {
            deadline.received(connection);
            error(response, callback, m.matches() ? 405 : 404, m.matches() ? "use PUT" : "no such resource");
            return;
        }
        String workload;
        try {
            workload = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            deadline.received(connection);
            error(response, callback, 400, "bad percent-encoding in the workload id");
            return;
        }
        // The body arrives without a thread waiting for it; the rate is set on a worker once it is in.
        Content.Source.asByteArrayAsync(request, MAX_BODY + 1).whenComplete((body, failure) -> worker.execute(() -> {
            deadline.received(connection);
            try {
                setRate(response, callback, workload, failure == null ? body : null);
            } catch (IOException | RuntimeException e) {
                LOG.warn("rate change failed", e);
                error(response, callback, 500, "internal error");
            }
        }));
    }

    private void setRate(Response response, Callback callback, String workload, byte[] body) throws IOException {
        Double rate = body == null ? null : readRate(body);
        if (rate == null) {
            error(response, callback, 400, "body must be {\"rate\": <number in [0.1, 1]>}");
            return;
        }
        List<Long> pids = registry.setRate(workload, rate);
        if (pids.isEmpty()) {
            error(response, callback, 404, "unknown workload");
            return;
        }
        LOG.info("rate of {} set to {} (pids {})", workload, rate, pids);
        reply(response, callback, 200, JsonErrorHandler.JSON, json.writeValueAsString(new RateResult(workload, rate, pids)));
    }

    /** The rate from {"rate": x}, or null when the body is not that or x is outside [0.1, 1]. */
    private Double readRate(byte[] bytes) {
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

    private void metrics(Response response, Callback callback, String method) throws IOException {
        if (!method.equals("GET")) {
            error(response, callback, 405, "use GET");
            return;
        }
        StringWriter w = new StringWriter();
        TextFormat.write004(w, metrics.metricFamilySamples());
        reply(response, callback, 200, TextFormat.CONTENT_TYPE_004, w.toString());
    }

    /** Null when the request carries the agent's token, else why not. */
    private AuthFailures.Reason authenticate(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            return AuthFailures.Reason.MISSING;
        }
        // Hashing first makes the comparison constant time whatever the lengths.
        return MessageDigest.isEqual(sha256(header.substring(7).trim()), tokenHash) ? null : AuthFailures.Reason.WRONG;
    }

    private static void error(Response response, Callback callback, int status, String message) {
        reply(response, callback, status, JsonErrorHandler.JSON, JsonErrorHandler.body(message));
    }

    private static void reply(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        Content.Sink.write(response, true, body, callback);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
