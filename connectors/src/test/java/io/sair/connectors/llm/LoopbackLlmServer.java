package io.sair.connectors.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A chat server on loopback that speaks one provider's wire protocol (OpenAI /v1/chat/completions, Ollama
 * /api/chat, Anthropic /v1/messages) over a raw socket, so it can also misbehave the way real servers do:
 * errors with the provider's error body, an empty or cut body, no answer at all, or headers and then silence.
 */
final class LoopbackLlmServer implements AutoCloseable {

    /** What the server does with the next requests. */
    enum Behaviour { GOOD, FENCED, PROSE_ANSWER, MALFORMED_BODY, EMPTY_BODY, RATE_LIMITED, SERVER_ERROR, HANG, STALL }

    /** A request as received. */
    record Received(String method, String path, Map<String, String> headers, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A request that does not start with an HTTP method. */
    private static final Received NOT_HTTP = new Received("", "", Map.of(), "");

    private final LlmProvider provider;
    private final ServerSocket socket;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-llm");
        t.setDaemon(true);
        return t;
    });
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour = Behaviour.GOOD;
    private volatile String answer = "{}";

    LoopbackLlmServer(LlmProvider provider) throws IOException {
        this.provider = provider;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.submit(this::acceptLoop);
    }

    /** The base URL the provider's client is configured with. */
    String baseUrl() {
        String root = "http://127.0.0.1:" + socket.getLocalPort();
        return switch (provider) {
            case OPENAI -> root + "/v1";
            case OLLAMA -> root;
            case ANTHROPIC -> root + "/v1/";
        };
    }

    String expectedPath() {
        return switch (provider) {
            case OPENAI -> "/v1/chat/completions";
            case OLLAMA -> "/api/chat";
            case ANTHROPIC -> "/v1/messages";
        };
    }

    void behave(Behaviour b, String answerText) {
        this.behaviour = b;
        this.answer = answerText;
    }

    List<Received> received() {
        return received;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                open.add(s);
                connections.submit(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                Received r = read(in);
                if (r == null) {
                    return;
                }
                if (r == NOT_HTTP) {
                    // As real HTTP servers do (a TLS hello to a plain port, say): a plain 400, then close.
                    write(out, 400, error("invalid_request_error", "not HTTP"));
                    return;
                }
                received.add(r);
                if (!respond(r, out)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away or the server closed
        }
    }

    /** Writes the response; false when the connection is to be held open silently (and then dropped). */
    private boolean respond(Received r, OutputStream out) throws IOException, InterruptedException {
        Behaviour b = behaviour;
        switch (b) {
            case GOOD -> write(out, 200, envelope(answer));
            case FENCED -> write(out, 200, envelope("Here is the action:\n```json\n" + answer + "\n```\n"));
            case PROSE_ANSWER -> write(out, 200, envelope("I would scale the preprocess stage up a little."));
            case MALFORMED_BODY -> write(out, 200, envelope(answer).substring(0, 25));
            case EMPTY_BODY -> write(out, 200, "");
            case RATE_LIMITED -> write(out, 429, error("rate_limit_error", "Rate limit reached"));
            case SERVER_ERROR -> write(out, 500, error("api_error", "Internal server error"));
            case HANG -> {
                Thread.sleep(60_000);
                return false;
            }
            case STALL -> {
                String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n";
                out.write((head + "{\"id\": \"x\", ").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(60_000);
                return false;
            }
        }
        return true;
    }

    private static void write(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String reason = switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 429 -> "Too Many Requests";
            default -> "Internal Server Error";
        };
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.write(bytes);
        out.flush();
    }

    /** The provider's success body around the model's text. */
    private String envelope(String content) {
        ObjectNode root = JSON.createObjectNode();
        switch (provider) {
            case OPENAI -> {
                root.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1_767_225_600L)
                        .put("model", "test-model");
                ObjectNode choice = root.putArray("choices").addObject();
                choice.put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", content);
                root.putObject("usage").put("prompt_tokens", 900).put("completion_tokens", 60).put("total_tokens", 960);
            }
            case OLLAMA -> {
                root.put("model", "test-model").put("created_at", "2026-01-01T00:00:00Z");
                root.putObject("message").put("role", "assistant").put("content", content);
                root.put("done", true).put("done_reason", "stop").put("prompt_eval_count", 900).put("eval_count", 60);
            }
            case ANTHROPIC -> {
                root.put("id", "msg_1").put("type", "message").put("role", "assistant").put("model", "test-model");
                root.putArray("content").addObject().put("type", "text").put("text", content);
                root.put("stop_reason", "end_turn");
                root.putObject("usage").put("input_tokens", 900).put("output_tokens", 60);
            }
        }
        return root.toString();
    }

    private String error(String type, String message) {
        ObjectNode root = JSON.createObjectNode();
        if (provider == LlmProvider.OLLAMA) {
            root.put("error", message);
        } else if (provider == LlmProvider.ANTHROPIC) {
            root.put("type", "error");
            root.putObject("error").put("type", type).put("message", message);
        } else {
            root.putObject("error").put("type", type).put("message", message);
        }
        return root.toString();
    }

    /** One HTTP/1.1 request (head, then a Content-Length body); null at the end of the stream. */
    private static Received read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int first = in.read();
        if (first < 0) {
            return null;
        }
        if (first < 'A' || first > 'Z') {
            return NOT_HTTP;
        }
        head.write(first);
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.write(c);
            matched = (c == '\r' && matched % 2 == 0) || (c == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Received(requestLine[0], requestLine[1], headers, new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
        connections.shutdownNow();
    }
}
