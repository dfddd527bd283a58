package io.sair.gpuagent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.client.CollectorRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's HTTP server against slow clients, malformed requests and wrong tokens, on loopback. */
class AgentHttpServerITCase {
    private static final String TOKEN = "it-token-456";
    private static final String WORKLOAD = "p/infer/pod-0";
    /** Every call below must answer within this, whatever the slow clients do. */
    private static final Duration PROMPT = Duration.ofSeconds(3);

    @TempDir
    Path socketDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROMPT).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Socket> slow = new ArrayList<>();
    private TestingShim shim;
    private CollectorRegistry metrics;
    private AgentHttpServer server;

    @BeforeEach
    void start() throws IOException {
        shim = new TestingShim(socketDir, 999_981, WORKLOAD);
        metrics = new CollectorRegistry();
        server = new AgentHttpServer(new InetSocketAddress("127.0.0.1", 0), TOKEN,
                new ShimRegistry(socketDir, Duration.ofSeconds(1)), metrics);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : slow) {
            s.close();
        }
        server.close();
        shim.close();
    }

    @Test
    void slowClientsTricklingHeadersStarveNeitherHealthNorRateChanges() throws Exception {
        for (int i = 0; i < 8; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        // The server has seen every slow client's first bytes before the calls below.
        trickle(5);
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            assertThat(call(get("/healthz")).statusCode()).isEqualTo(200);
            double rate = round == 1 ? 0.5 : 0.7;
            HttpResponse<String> put = call(putRate(WORKLOAD, "{\"rate\": " + rate + "}", TOKEN));
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(shim.rate).isEqualTo(rate);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(PROMPT);
            trickle(3);
        }
    }

    @Test
    void aBadPercentEncodingIsAJsonError() throws Exception {
        for (String target : List.of("/v1/workloads/%zz/rate", "/v1/workloads/p%2/rate", "/healthz%", "/%ff%fe")) {
            String response = raw("PUT " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"rate\": 0.5}");
            assertJsonError(response, 400, target);
            if (target.contains("%zz") || target.contains("%2/")) {
                assertThat(response).as(target).contains("percent-encoding");
            }
        }
        assertThat(shim.rate).isEqualTo(1.0);
    }

    @Test
    void malformedRequestsAreJsonErrors() throws Exception {
        assertJsonError(raw("GARBAGE\r\n\r\n"), 400, "a bad request line");
        assertJsonError(raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024)
                + "\r\nConnection: close\r\n\r\n"), 431, "headers too large");
        assertJsonError(raw("GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 404, "no such resource");
    }

    @Test
    void failedAuthenticationIsCountedPerReason() throws Exception {
        assertThat(call(HttpRequest.newBuilder(uri("/v1/workloads")).GET()).statusCode()).isEqualTo(401);
        assertThat(call(putRate(WORKLOAD, "{\"rate\": 0.5}", "wrong")).statusCode()).isEqualTo(401);
        assertThat(call(putRate(WORKLOAD, "{\"rate\": 0.5}", TOKEN + "x")).statusCode()).isEqualTo(401);
        assertThat(call(HttpRequest.newBuilder(uri("/v1/workloads")).header("Authorization", "Basic abc").GET())
                .statusCode()).isEqualTo(401);
        assertThat(call(HttpRequest.newBuilder(uri("/v1/workloads")).header("Authorization", "Bearer " + TOKEN).GET())
                .statusCode()).isEqualTo(200);
        String scrape = call(get("/metrics")).body();
        assertThat(scrape)
                .contains("sair_gpu_agent_auth_failures_total{reason=\"missing\",} 2.0")
                .contains("sair_gpu_agent_auth_failures_total{reason=\"wrong\",} 2.0");
        assertThat(shim.rate).isEqualTo(1.0);
        // A refused request's body is not read: the answer closes the connection, so no client sends another on it.
        assertThat(raw("PUT /v1/workloads/" + WORKLOAD + "/rate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n"
                + "Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"rate\": 0.5}"))
                .startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
    }

    @Test
    void aRequestNotInWithinTheDeadlineIsCutOffWhileAnIdleKeepAliveIsNot() throws Exception {
        AgentHttpServer quick = new AgentHttpServer(new InetSocketAddress("127.0.0.1", 0), TOKEN,
                new ShimRegistry(socketDir, Duration.ofSeconds(1)), new CollectorRegistry(), Duration.ofMillis(500));
        quick.start();
        try (quick; Socket head = new Socket("127.0.0.1", quick.port());
                Socket body = new Socket("127.0.0.1", quick.port());
                Socket keepAlive = new Socket("127.0.0.1", quick.port())) {
            head.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            body.getOutputStream().write(("PUT /v1/workloads/" + WORKLOAD + "/rate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            boolean headOpen = true;
            boolean bodyOpen = true;
            for (int i = 0; i < 50 && (headOpen || bodyOpen); i++) { // 5 s at most
                headOpen = headOpen && stillOpen(head);
                bodyOpen = bodyOpen && stillOpen(body);
            }
            assertThat(headOpen).as("trickled head cut off").isFalse();
            assertThat(bodyOpen).as("trickled body cut off").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            assertThat(shim.rate).isEqualTo(1.0);
            // Idle between whole requests for three deadlines: the connection still serves.
            for (int i = 0; i < 2; i++) {
                keepAlive.setSoTimeout((int) PROMPT.toMillis());
                keepAlive.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = new byte[512];
                int n = keepAlive.getInputStream().read(answer);
                assertThat(new String(answer, 0, Math.max(0, n), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 ");
                Thread.sleep(1_500);
            }
        }
    }

    /** Sends one byte and waits up to 100 ms for the server's end of the connection: false once it closed it. */
    private static boolean stillOpen(Socket s) throws IOException {
        try {
            s.getOutputStream().write('a');
            s.setSoTimeout(100);
            return s.getInputStream().read(new byte[1024]) >= 0;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One byte to every slow client, {@code times} times 100 ms apart. */
    private void trickle(int times) throws Exception {
        for (int i = 0; i < times; i++) {
            for (Socket s : slow) {
                try {
                    s.getOutputStream().write('a');
                } catch (IOException e) {
                    // the server closed it: fine, it owes a slow client nothing
                }
            }
            Thread.sleep(100);
        }
    }

    private void assertJsonError(String response, int status, String what) throws IOException {
        assertThat(response).as(what).startsWith("HTTP/1.1 " + status + " ");
        int split = response.indexOf("\r\n\r\n");
        String head = response.substring(0, split).toLowerCase();
        assertThat(head).as(what).contains("content-type: application/json");
        JsonNode body = json.readTree(response.substring(split + 4));
        assertThat(body.path("error").isTextual()).as(what + ": " + response).isTrue();
    }

    /** Sends bytes on a fresh connection and reads the answer until the server closes it (bounded). */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) PROMPT.toMillis());
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; out.size() < 1 << 20 && (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // what came so far is the answer
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private HttpResponse<String> call(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(PROMPT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private HttpRequest.Builder putRate(String workload, String body, String token) {
        return HttpRequest.newBuilder(uri("/v1/workloads/" + workload + "/rate"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
