package io.sair.gpuagent;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Talks the shim's line protocol over its Unix socket: one connection per request. */
public final class ShimClient {
    static final String MAGIC = "SAIR/1";
    private static final int MAX_LINE = 512;

    private final Path socket;
    private final Duration timeout;

    public ShimClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    public Path socket() {
        return socket;
    }

    /** The shim's id on this node: its socket's name without ".sock" ({@code <pidns>-<pid>}). */
    public String id() {
        String name = socket.getFileName().toString();
        return name.endsWith(".sock") ? name.substring(0, name.length() - ".sock".length()) : name;
    }

    public ShimStats stats() throws IOException {
        return ShimStats.parse(id(), request(MAGIC + " STATS"));
    }

    /** Sets the rate ratio; returns the rate the shim confirmed. */
    public double setRate(double rate) throws IOException {
        Map<String, String> kv = ShimStats.okFields(request(MAGIC + " RATE " + BigDecimal.valueOf(rate).toPlainString()));
        String confirmed = kv.get("rate");
        if (confirmed == null) {
            throw new ShimException("RATE reply without rate");
        }
        return Double.parseDouble(confirmed);
    }

    /** Sends one line and returns the reply line (without the newline). */
    public String request(String line) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(MAX_LINE);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("no reply from " + socket + " within " + timeout);
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                int n = ch.read(in);
                for (int i = 0; i < in.position(); i++) {
                    if (in.get(i) == '\n') {
                        return new String(in.array(), 0, i, StandardCharsets.US_ASCII);
                    }
                }
                if (n < 0) {
                    throw new IOException("connection closed by " + socket + " before a reply");
                }
                if (!in.hasRemaining()) {
                    throw new ShimException("reply longer than " + MAX_LINE + " bytes");
                }
            }
        }
    }
}
