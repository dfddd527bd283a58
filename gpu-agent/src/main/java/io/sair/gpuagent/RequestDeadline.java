package io.sair.gpuagent;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;

/**
 * A deadline on reading a request: once the first byte of a request has come, its head and body must be
 * in within the deadline, else the connection is closed. Trickling a header a byte at a time (slowloris)
 * therefore holds a connection for the deadline at most; the server's idle timeout closes connections that
 * send nothing. {@link #sweep()} runs periodically; connections are tracked from opening to closing.
 */
final class RequestDeadline implements Connection.Listener {

    /** A connection between requests: bytes it had read at its last answer, when its next request began. */
    private static final class Waiting {
        final long bytesAtAnswer;
        long startedNanos = -1;

        Waiting(long bytesAtAnswer) {
            this.bytesAtAnswer = bytesAtAnswer;
        }
    }

    private final long deadlineNanos;
    private final LongSupplier nanoClock;
    private final Map<Connection, Waiting> waiting = new ConcurrentHashMap<>();

    RequestDeadline(Duration deadline, LongSupplier nanoClock) {
        this.deadlineNanos = deadline.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public void onOpened(Connection c) {
        waiting.put(c, new Waiting(0));
    }

    @Override
    public void onClosed(Connection c) {
        waiting.remove(c);
    }

    /** The request's head and body are in: the answer is the handler's business, without this deadline. */
    void received(Connection c) {
        waiting.remove(c);
    }

    /** The answer went out: the connection may carry a next request, whose reading the deadline bounds again. */
    void answered(Connection c) {
        if (c.getEndPoint().isOpen()) {
            waiting.put(c, new Waiting(c.getBytesIn()));
        }
    }

    /** Notes requests that began since the last sweep and closes those past the deadline; returns how many. */
    int sweep() {
        long now = nanoClock.getAsLong();
        int closed = 0;
        for (Map.Entry<Connection, Waiting> e : waiting.entrySet()) {
            Connection c = e.getKey();
            Waiting w = e.getValue();
            if (!c.getEndPoint().isOpen()) {
                waiting.remove(c, w);
            } else if (w.startedNanos < 0) {
                if (c.getBytesIn() > w.bytesAtAnswer) {
                    w.startedNanos = now;
                }
            } else if (now - w.startedNanos > deadlineNanos) {
                waiting.remove(c, w);
                c.getEndPoint().close();
                closed++;
            }
        }
        return closed;
    }
}
