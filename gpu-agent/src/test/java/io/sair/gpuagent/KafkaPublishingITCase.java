package io.sair.gpuagent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent publishing through its real Kafka producer to a real broker on loopback: the records on
 * {@code sair.metrics} are keyed by pipeline and carry the StageMetrics fields the job reads, with the
 * rate the shim runs at.
 */
class KafkaPublishingITCase {
    private static final String TOPIC = "sair.metrics";
    private static final String WORKLOAD = "pipe-k/infer/pod-0";

    @TempDir
    Path socketDir;

    @Test
    void publishesGpuStageMetricsKeyedByPipeline() throws Exception {
        try (KafkaClusterTestKit kafka = broker()) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            GpuAgent agent = new GpuAgent(new GpuAgent.Config(socketDir, new InetSocketAddress("127.0.0.1", 0), "t",
                    Duration.ofMillis(100), Duration.ofMillis(300), new KafkaRecordSink(bootstrap, TOPIC), 0),
                    Clock.systemUTC()).start();
            try (ShimProcess shim = ShimProcess.start(socketDir, WORKLOAD, Map.of("SAIR_GPU_RATE", "0.5"))) {
                List<ConsumerRecord<String, String>> records = consume(bootstrap, Duration.ofSeconds(30));
                assertThat(records).as("the agent published the shim's workload").isNotEmpty();
                ObjectMapper json = new ObjectMapper();
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, String> r : records) {
                    assertThat(r.key()).isEqualTo("pipe-k");
                    JsonNode m = json.readTree(r.value());
                    assertThat(m.get("pipeline").asText()).isEqualTo("pipe-k");
                    assertThat(m.get("stage").asText()).isEqualTo("infer");
                    assertThat(m.get("pod").asText()).isEqualTo("pod-0");
                    assertThat(m.get("kind").asText()).isEqualTo("gpu");
                    assertThat(m.get("ts").asLong()).isBetween(now - 60_000, now + 5_000);
                    assertThat(m.get("gpuRate").asDouble()).isEqualTo(0.5);
                    assertThat(m.get("gpuUtil").asDouble()).isBetween(0.0, 1.0);
                    assertThat(m.get("v").asInt()).isEqualTo(1);
                }
                assertThat(records).anySatisfy(r -> assertThat(json.readTree(r.value()).get("launches").asLong())
                        .as("kernel launches of the period were counted").isPositive());
            } finally {
                agent.close();
            }
        }
    }

    private static List<ConsumerRecord<String, String>> consume(String bootstrap, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + timeout.toNanos();
            // Enough periods for one in which the process launched kernels.
            while (System.nanoTime() < deadline && (out.size() < 3
                    || out.stream().noneMatch(r -> r.value().matches(".*\"launches\":[1-9].*")))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static KafkaClusterTestKit broker() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return cluster;
    }
}
