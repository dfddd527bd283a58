package io.sair.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat server on loopback (POST /v1/chat/completions) that answers with a fixed
 * model text, fails with HTTP 500, or holds the request without answering until it is told to go on.
 */
final class TestingOpenAiServer implements AutoCloseable {

    enum Mode { ANSWER, FAIL, HOLD }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Mode mode = Mode.ANSWER;
    private volatile String answer = "{}";
    private volatile CountDownLatch held = new CountDownLatch(1);

    TestingOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    void answer(String text) {
        answer = text;
        mode = Mode.ANSWER;
    }

    void fail() {
        mode = Mode.FAIL;
    }

    void hold() {
        held = new CountDownLatch(1);
        mode = Mode.HOLD;
    }

    /** Lets held requests go (they get no answer: the connection is closed). */
    void release() {
        held.countDown();
    }

    int requests() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        ex.getRequestBody().readAllBytes();
        switch (mode) {
            case ANSWER -> {
                ObjectNode root = JSON.createObjectNode();
                root.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1).put("model", "test-model");
                ObjectNode choice = root.putArray("choices").addObject();
                choice.put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", answer);
                send(ex, 200, root.toString());
            }
            case FAIL -> send(ex, 500, "{\"error\": {\"message\": \"boom\", \"type\": \"server_error\"}}");
            case HOLD -> {
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
            }
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
