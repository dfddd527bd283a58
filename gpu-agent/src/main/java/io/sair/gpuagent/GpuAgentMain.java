package io.sair.gpuagent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The per-node GPU agent daemon. */
@Command(name = "sair-gpu-agent", mixinStandardHelpOptions = true,
        description = "Registers the LD_PRELOAD throttle shims on this node, serves their rate over HTTP, publishes GPU metrics.")
public final class GpuAgentMain implements Callable<Integer> {

    @Option(names = "--socket-dir", defaultValue = "/run/sair", description = "Directory of the shims' <pidns>-<pid>.sock (SAIR_SOCKET_DIR of the shims). Default: ${DEFAULT-VALUE}")
    Path socketDir;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address of the HTTP API. Default: ${DEFAULT-VALUE}")
    String bind;

    @Option(names = "--port", defaultValue = "8470", description = "Port of the HTTP API. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--token-file", description = "File holding the API bearer token (else env SAIR_AGENT_TOKEN).")
    Path tokenFile;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers; publishing is off without them.")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "sair.metrics", description = "Metrics topic. Default: ${DEFAULT-VALUE}")
    String topic;

    @Option(names = "--period", defaultValue = "5s", converter = DurationConverter.class, description = "Publishing period (e.g. 5s, 500ms, PT5S). Default: ${DEFAULT-VALUE}")
    Duration period;

    @Option(names = "--scan-interval", defaultValue = "1s", converter = DurationConverter.class, description = "Socket directory rescan interval. Default: ${DEFAULT-VALUE}")
    Duration scanInterval;

    @Option(names = "--gpu-capacity", defaultValue = "0", description = "Device throughput in blocks/s for gpuUtil; 0 learns it per workload. Default: ${DEFAULT-VALUE}")
    double gpuCapacity;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GpuAgentMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String token = readToken();
        if (token == null) {
            System.err.println("no API token: give --token-file or set SAIR_AGENT_TOKEN");
            return 2;
        }
        RecordSink sink = bootstrapServers == null ? null : new KafkaRecordSink(bootstrapServers, topic);
        GpuAgent.Config config = new GpuAgent.Config(socketDir, new InetSocketAddress(bind, port), token,
                scanInterval, period, sink, gpuCapacity);
        CountDownLatch stop = new CountDownLatch(1);
        try (GpuAgent agent = new GpuAgent(config, Clock.systemUTC()).start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "gpu-agent-shutdown"));
            stop.await();
        }
        return 0;
    }

    private String readToken() throws IOException {
        String token = tokenFile != null ? Files.readString(tokenFile, StandardCharsets.UTF_8) : System.getenv("SAIR_AGENT_TOKEN");
        return token == null || token.isBlank() ? null : token.trim();
    }

    /** Accepts 5s, 500ms, 2m or an ISO-8601 duration. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("pt")) {
                return Duration.parse(value.trim());
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            throw new CommandLine.TypeConversionException("not a duration: " + value);
        }
    }
}
