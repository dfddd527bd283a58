package io.sair.job.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker (KRaft, one combined broker + controller, Kafka's own server class) in this JVM,
 * with both listeners bound to 127.0.0.1 only: the demo's broker and the tests'. Local mode only; a
 * cluster's job jar never starts one.
 *
 * <p>Not Kafka's test kit: it binds its listeners to the wildcard address on ports of its own choosing
 * and ignores a configured port, so the demo listened on every interface and {@code --kafka-port}
 * advertised a port where nothing listened.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER = "CONTROLLER";
    private static final int NODE_ID = 1;
    /** Tries when the port is ours to pick: another process may take a free port before the broker binds it. */
    private static final int PICKS = 3;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final int port;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A broker on a free loopback port. */
    public static EmbeddedKafka start() throws Exception {
        return start(0);
    }

    /**
     * A broker listening on {@code port} of 127.0.0.1 (0: any free port). A port already in use fails at
     * once with one clear line instead of a broker that never becomes ready.
     */
    public static EmbeddedKafka start(int port) throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Kafka port must be in 0..65535, got " + port);
        }
        if (port > 0) {
            ensureFree(port);
        }
        for (int attempt = 1; ; attempt++) {
            int clients = port > 0 ? port : freePort();
            try {
                return startOn(clients, freePort());
            } catch (Exception e) {
                if (!causedBy(e, BindException.class)) {
                    throw e;
                }
                if (port > 0) {
                    throw new IllegalArgumentException(inUse(port), e);
                }
                if (attempt == PICKS) {
                    throw e;
                }
            }
        }
    }

    private static EmbeddedKafka startOn(int port, int controllerPort) throws Exception {
        // Our own data directory, deleted by close() once the broker has stopped (a directory deleted under a
        // running broker makes it halt the JVM).
        Path dataDir = Files.createTempDirectory("sair-kafka-");
        String logs = dataDir.resolve("logs").toString();
        String metadata = dataDir.resolve("metadata").toString();
        KafkaRaftServer server = null;
        try {
            KafkaConfig config = KafkaConfig.fromProps(properties(port, controllerPort, logs, metadata), false);
            format(logs, metadata);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            // Returns once the broker is registered and unfenced: topics can be created right away.
            server.startup();
            return new EmbeddedKafka(server, dataDir, port);
        } catch (Exception | Error e) {
            if (server != null) {
                try {
                    stop(server);
                } catch (RuntimeException stopping) {
                    e.addSuppressed(stopping);
                }
            }
            Utils.delete(dataDir.toFile());
            throw e;
        }
    }

    private static Properties properties(int port, int controllerPort, String logs, String metadata) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER);
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("log.dirs", logs);
        p.put("metadata.log.dir", metadata);
        // One broker: every internal topic has a single replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The log cleaner (compacted spec topics) otherwise takes a 128 MiB buffer.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        // Keep every record for the broker's life. The demo, the tests and the benchmarks replay event
        // time from the past (2026-01-01); under the default 7-day retention the broker's first retention
        // pass, 30 s after start, deleted such records before the job had read them: a backlog was lost
        // without a trace (OffsetOutOfRange, the reader jumps on).
        p.put("log.retention.ms", "-1");
        return p;
    }

    /** What {@code kafka-storage format --standalone} does, for a static single-voter quorum; its progress lines dropped. */
    private static void format(String logs, String metadata) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(Set.of(logs, metadata))
                .setMetadataLogDirectory(metadata)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName(CONTROLLER)
                .run();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static void ensureFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new IllegalArgumentException(inUse(port));
        }
    }

    private static String inUse(int port) {
        return "Kafka port " + port + " on 127.0.0.1 is in use (pick another with --kafka-port, or 0 for any free port)";
    }

    /** host:port for clients: always 127.0.0.1, where the broker listens and what it advertises. */
    public String bootstrap() {
        return HOST + ":" + port;
    }

    /** Creates the topics with replication factor 1; a name ending in "pipelines" is compacted (specs). */
    public void createTopics(int partitions, String... names) throws Exception {
        createTopics(bootstrap(), partitions, names);
    }

    /**
     * Creates the topics on any broker (replication factor 1); a name ending in "pipelines" is compacted.
     * Returns once every partition's leader serves writes ({@link #awaitLeaders}).
     */
    public static void createTopics(String bootstrap, int partitions, String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            List<TopicPartition> all = new ArrayList<>();
            for (String n : names) {
                NewTopic t = new NewTopic(n, partitions, (short) 1);
                if (n.endsWith("pipelines")) {
                    t.configs(Map.of("cleanup.policy", "compact"));
                }
                topics.add(t);
                for (int p = 0; p < partitions; p++) {
                    all.add(new TopicPartition(n, p));
                }
            }
            admin.createTopics(topics).all().get();
            awaitLeaders(admin, all);
        }
    }

    /**
     * Waits until the leader of each partition has taken it up. A created topic is in the broker's
     * metadata a moment before its replica manager leads the partition; an idempotent producer writing in
     * that moment (Kafka 4.2, KAFKA-14359) gets its first request refused (NOT_LEADER_OR_FOLLOWER) and its
     * second, sent meanwhile, appended; every retry of the first is then out of sequence until the
     * delivery timeout expires it: records lost at a test's, the demo's or a benchmark's first write
     * (seen 1 in 17 fresh brokers). Describing the partitions' producers is answered by the replica
     * manager of the leader, so it succeeds only once that leader serves writes; the admin client retries
     * it until then.
     */
    private static void awaitLeaders(Admin admin, List<TopicPartition> partitions) throws Exception {
        admin.describeProducers(partitions).all().get();
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    @Override
    public void close() throws Exception {
        stop(server);
        Utils.delete(dataDir.toFile());
    }
}
