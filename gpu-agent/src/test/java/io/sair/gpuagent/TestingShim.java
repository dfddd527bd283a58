package io.sair.gpuagent;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A shim stand-in: serves the line protocol on a real Unix socket from a thread, with settable answers. */
final class TestingShim implements AutoCloseable {
    final Path socket;
    final long pid;
    final String workload;
    volatile double rate = 1.0;
    volatile long launches;
    volatile long blocks;
    final List<String> received = new ArrayList<>();
    /** Overrides the answer to a request line; null = the normal protocol. */
    volatile UnaryOperator<String> answer;

    private final ServerSocketChannel server;
    private final Thread thread;

    /** The PID namespace of the tests' stand-ins, unless one is given. */
    static final long NS = 4026531836L;

    TestingShim(Path dir, long pid, String workload) throws IOException {
        this(dir, NS, pid, workload);
    }

    /** A shim of process {@code pid} in PID namespace {@code ns}, at {@code <ns>-<pid>.sock} as the real one. */
    TestingShim(Path dir, long ns, long pid, String workload) throws IOException {
        this.socket = dir.resolve(ns + "-" + pid + ".sock");
        this.pid = pid;
        this.workload = workload;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.thread = new Thread(this::serve, "testing-shim-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                StringBuilder line = new StringBuilder();
                ByteBuffer buf = ByteBuffer.allocate(1);
                while (ch.read(buf) > 0) {
                    char c = (char) buf.get(0);
                    buf.clear();
                    if (c != '\n') {
                        line.append(c);
                        continue;
                    }
                    String reply = reply(line.toString());
                    line.setLength(0);
                    if (reply != null) {
                        ch.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.US_ASCII)));
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }
    }

    private String reply(String line) {
        synchronized (received) {
            received.add(line);
        }
        UnaryOperator<String> a = answer;
        if (a != null) {
            return a.apply(line);
        }
        if (line.equals("SAIR/1 STATS")) {
            return "SAIR/1 OK rate=" + rate + " launches=" + launches + " blocks=" + blocks + " throttled_ns=0 pid=" + pid
                    + " workload=" + workload;
        }
        if (line.startsWith("SAIR/1 RATE ")) {
            rate = Double.parseDouble(line.substring(12));
            return "SAIR/1 OK rate=" + rate;
        }
        return "SAIR/1 ERR unknown verb";
    }

    List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
