package io.sair.gpuagent;

import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP server (Jetty): {@link AgentApi} behind it. Jetty reads request heads and bodies
 * without a thread per connection, so clients that trickle bytes hold no worker; the
 * {@link RequestDeadline} closes a connection whose request is not in within the deadline, the idle
 * timeout one that sends nothing. Errors the server answers itself are JSON too ({@link JsonErrorHandler}).
 */
public final class AgentHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class);

    /** From a request's first byte to its last: a slow client holds a connection no longer than this. */
    public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);
    /** A connection that sends nothing for this long is closed (keep-alive clients reconnect). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** One failed-authentication line per this interval at most; the counter has every failure. */
    static final Duration AUTH_LOG_INTERVAL = Duration.ofSeconds(60);
    /** Workers run handlers only (a rate change waits on the shims' sockets); reading needs none. */
    private static final int MAX_THREADS = 32;

    private final Server server;
    private final ServerConnector connector;
    private final RequestDeadline deadline;
    private final Duration requestDeadline;
    private final ScheduledExecutorService sweeper;

    public AgentHttpServer(InetSocketAddress address, String token, ShimRegistry registry, CollectorRegistry metrics)
            throws IOException {
        this(address, token, registry, metrics, REQUEST_DEADLINE);
    }

    /** Binds the address now (a port in use fails here); {@link #start()} serves. */
    public AgentHttpServer(InetSocketAddress address, String token, ShimRegistry registry, CollectorRegistry metrics,
                           Duration requestDeadline) throws IOException {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("an API token is required");
        }
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 2);
        pool.setName("gpu-agent-http");
        pool.setDaemon(true);
        this.server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // A workload id may come with its slashes percent-encoded (p%2Finfer%2Fpod-0); the API decodes it.
        http.setUriCompliance(UriCompliance.DEFAULT.with("sair-agent", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        this.requestDeadline = requestDeadline;
        this.deadline = new RequestDeadline(requestDeadline, System::nanoTime);
        connector.addEventListener(deadline);
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrorHandler());
        AuthFailures authFailures = new AuthFailures(metrics, AUTH_LOG_INTERVAL, System::nanoTime);
        server.setHandler(new AgentApi(token, registry, metrics, authFailures, deadline, pool));
        connector.open();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gpu-agent-http-deadline");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP server did not start", e);
        }
        // Sweeping ten times per deadline: a slow request is cut between 1 and 1.1 deadlines after it began.
        long periodMs = Math.max(10, requestDeadline.toMillis() / 10);
        sweeper.scheduleWithFixedDelay(() -> {
            int closed = deadline.sweep();
            if (closed > 0) {
                LOG.debug("closed {} connection(s) whose request was not in within {}", closed, requestDeadline);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server failed", e);
        }
    }
}
