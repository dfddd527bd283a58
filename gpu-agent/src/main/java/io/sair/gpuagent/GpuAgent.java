package io.sair.gpuagent;

import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node agent: shim discovery, the HTTP API and (optionally) metrics publishing, wired together. */
public final class GpuAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GpuAgent.class);

    /** What the agent needs; sink null means publishing is off. */
    public record Config(
            Path socketDir,
            InetSocketAddress address,
            String token,
            Duration scanInterval,
            Duration period,
            RecordSink sink,
            double capacityBlocksPerSec) {}

    private final ShimRegistry registry;
    private final AgentHttpServer http;
    private final MetricsPublisher publisher;
    private final RecordSink sink;
    private final ScheduledExecutorService scheduler;
    private final Config config;

    public GpuAgent(Config config, Clock clock) throws IOException {
        this.config = config;
        this.registry = new ShimRegistry(config.socketDir(), Duration.ofSeconds(1));
        CollectorRegistry metrics = new CollectorRegistry();
        metrics.register(new ShimCollector(registry::snapshot));
        this.http = new AgentHttpServer(config.address(), config.token(), registry, metrics);
        this.sink = config.sink();
        this.publisher = sink == null ? null : new MetricsPublisher(registry::snapshot, sink, clock, config.capacityBlocksPerSec());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gpu-agent-scan");
            t.setDaemon(true);
            return t;
        });
    }

    public GpuAgent start() {
        registry.refresh();
        long scanMs = config.scanInterval().toMillis();
        scheduler.scheduleWithFixedDelay(guarded(registry::refresh), scanMs, scanMs, TimeUnit.MILLISECONDS);
        if (publisher != null) {
            long periodMs = config.period().toMillis();
            // The refresh just before publishing keeps the counters of the period fresh.
            scheduler.scheduleAtFixedRate(guarded(() -> {
                registry.refresh();
                publisher.publishOnce();
            }), 0, periodMs, TimeUnit.MILLISECONDS);
        }
        http.start();
        LOG.info("gpu agent listening on port {}, sockets in {}, publishing {}", http.port(), config.socketDir(),
                publisher == null ? "off" : "every " + config.period());
        return this;
    }

    public int port() {
        return http.port();
    }

    public ShimRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
        if (sink != null) {
            sink.close();
        }
    }

    private static Runnable guarded(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("periodic task failed", e);
            }
        };
    }
}
