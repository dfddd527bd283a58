package io.sair.job.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker (KRaft, one combined broker + controller) in this JVM on loopback: the demo's
 * broker and the tests'. Local mode only; a cluster's job jar never starts one.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** A broker on a free loopback port. */
    public static EmbeddedKafka start() throws Exception {
        return start(0);
    }

    /**
     * A broker whose clients connect on {@code port} of 127.0.0.1 (0: any free port). A port already in
     * use fails at once with one clear line instead of a broker that never becomes ready.
     */
    public static EmbeddedKafka start(int port) throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Kafka port must be in 0..65535, got " + port);
        }
        if (port > 0) {
            ensureFree(port);
        }
        // Our own data directory: the test kit's default one registers a JVM shutdown hook that deletes it,
        // and on Ctrl-C/SIGTERM that hook races the broker, which then finds its log dir gone and halts the
        // JVM with status 1 before the demo's own hook has stopped anything. close() deletes this one.
        Path dataDir = Files.createTempDirectory("sair-kafka-");
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBaseDirectory(dataDir).build();
        KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0");
        if (port > 0) {
            // The test kit binds both listeners to port 0 unless told otherwise; only the clients' one is fixed.
            b.setConfigProp("listeners", nodes.brokerListenerName().value() + "://localhost:" + port + ","
                    + nodes.controllerListenerName().value() + "://localhost:0");
        }
        KafkaClusterTestKit cluster;
        try {
            cluster = b.build();
        } catch (Exception | Error e) {
            Utils.delete(dataDir.toFile());
            throw e;
        }
        try {
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return new EmbeddedKafka(cluster);
    }

    /**
     * Kafka's storage formatter prints its progress to System.out; the demo's terminal is for the demo.
     * Nothing else prints while the broker formats (it happens before any other part starts).
     */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream saved = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            cluster.format();
        } finally {
            System.setOut(saved);
        }
    }

    private static void ensureFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalArgumentException("Kafka port " + port + " on 127.0.0.1 is in use (pick another with "
                    + "--kafka-port, or 0 for any free port)");
        }
    }

    public String bootstrap() {
        return cluster.bootstrapServers();
    }

    /** Creates the topics with replication factor 1; a name ending in "pipelines" is compacted (specs). */
    public void createTopics(int partitions, String... names) throws Exception {
        createTopics(bootstrap(), partitions, names);
    }

    /** Creates the topics on any broker (replication factor 1); a name ending in "pipelines" is compacted. */
    public static void createTopics(String bootstrap, int partitions, String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                NewTopic t = new NewTopic(n, partitions, (short) 1);
                if (n.endsWith("pipelines")) {
                    t.configs(Map.of("cleanup.policy", "compact"));
                }
                topics.add(t);
            }
            admin.createTopics(topics).all().get();
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
