package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.connectors.lag.ConsumerLagReader;
import io.sair.core.model.Json;
import io.sair.core.model.KafkaInput;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lag connector's queue depth reaches a decision: a stage declares its Kafka input, its pods' reports
 * carry no queue depth, a real consumer group falls behind on the input topic, and the window the job
 * decides on holds the group's lag as the stage's queue depth.
 */
class LagQueueDepthITCase {

    private static final String FRAMES = "lagq.frames";

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(b -> {
        JobTestSupport.createTopics(b, "lagq");
        b.createTopics(1, FRAMES);
    });

    @Test
    void theConsumerGroupsLagIsTheQueueDepthOfTheWindowDecidedOn(@TempDir Path dir) throws Exception {
        ToyPlant plant = new ToyPlant("lagq-p");
        long w1 = plant.windowStart() + 30_000; // the ends of the first two windows
        long w2 = plant.windowStart() + 60_000;
        PipelineSpec spec = withInput(plant.spec, "inference", new KafkaInput(FRAMES, "infer"));
        KAFKA.broker().send("lagq.pipelines", spec.name(), Json.write(spec), ToyPlant.START);
        KAFKA.broker().flush();

        TestingSink<PipelineContext> contexts = new TestingSink<>("lagq-contexts");
        Configuration conf = JobTestSupport.jobConf(KAFKA.broker().bootstrap(), dir, "lag-queue", "lagq");
        JobClient job = JobTestSupport.environment(conf, contexts, null).executeAsync("lag queue depth");
        SettableClock clock = new SettableClock();
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrap());
        try (Admin admin = Admin.create(ap); KafkaConsumer<byte[], byte[]> group = consumer("infer")) {
            // The pods count their own arrivals: the reader says only the queue.
            ConsumerLagReader reader = new ConsumerLagReader(admin, () -> List.of(spec), clock, Duration.ofSeconds(10),
                    false);
            group.assign(List.of(new TopicPartition(FRAMES, 0)));
            // Window 1: 100 frames in, the group takes 40 (lag 60); window 2: 50 more, it takes 20 (lag 90).
            Map<Long, Long> lagOfWindow = Map.of(w1, 60L, w2, 90L);
            produce(100);
            consumeAndCommit(group, 40);
            for (long t = plant.windowStart(); t < plant.windowStart() + 3 * 30_000L; t += ToyPlant.PERIOD_MS) {
                if (t == w1) {
                    produce(50);
                    consumeAndCommit(group, 20);
                }
                for (StageMetrics m : plant.reportsAt(t)) {
                    StageMetrics sent = m.stage().equals("inference") ? withoutQueue(m) : m;
                    KAFKA.broker().send("lagq.metrics", sent.pipeline(), Json.write(sent), t);
                }
                clock.now = t;
                for (StageMetrics m : reader.poll()) {
                    KAFKA.broker().send("lagq.metrics", m.pipeline(), Json.write(m), t);
                }
            }
            KAFKA.broker().flush();

            List<ScalingDecision> decisions = KAFKA.broker().readUntil("lagq.actions", Duration.ofSeconds(60),
                            got -> decided(got).stream().anyMatch(d -> d.windowEnd() == w2))
                    .stream().map(r -> Json.read(r.value(), ScalingDecision.class)).toList();
            for (long w : List.of(w1, w2)) {
                assertThat(decisions).as("a decision on window %d", w).anyMatch(d -> d.windowEnd() == w);
                PipelineContext ctx = contexts.results().stream().filter(c -> c.windowEnd() == w).findFirst()
                        .orElseThrow(() -> new AssertionError("no context of window " + w));
                assertThat(ctx.stage("inference")).as("window %d", w).hasValueSatisfying(s ->
                        assertThat(s.queueDepth()).as("the group's lag").isEqualTo(lagOfWindow.get(w)));
                // The other stages keep what their own pods report.
                assertThat(ctx.stage("preprocess")).hasValueSatisfying(s -> assertThat(s.queueDepth()).isEqualTo(20));
            }
        } finally {
            JobTestSupport.cancel(job);
        }
    }

    private static List<ScalingDecision> decided(List<ConsumerRecord<byte[], byte[]>> got) {
        return got.stream().map(r -> Json.read(r.value(), ScalingDecision.class)).toList();
    }

    private static PipelineSpec withInput(PipelineSpec s, String stage, KafkaInput input) {
        return new PipelineSpec(s.v(), s.name(), s.stages().stream().map(st -> !st.name().equals(stage) ? st
                : new StageSpec(st.name(), st.kind(), st.kubernetes(), st.limits(), st.gpus(), st.initial(), input))
                .toList(), s.slaP99Ms(), s.prices(), s.policy(), s.mode());
    }

    /** An exporter that cannot see the stage's queue (it sits in Kafka, not in the pod). */
    private static StageMetrics withoutQueue(StageMetrics m) {
        return new StageMetrics(m.v(), m.pipeline(), m.stage(), m.pod(), m.ts(), m.kind(), m.replicas(), m.cpuMillis(),
                m.memoryMb(), m.gpuRate(), m.arrivals(), m.completions(), null, m.cpuUtil(), m.memUtil(), m.gpuUtil(),
                m.latencyMs(), m.latencyHist(), m.e2eLatencyMs(), m.e2eLatencyHist());
    }

    private static void produce(int n) {
        for (int i = 0; i < n; i++) {
            KAFKA.broker().send(FRAMES, "k" + i, new byte[] {1}, System.currentTimeMillis());
        }
        KAFKA.broker().flush();
    }

    /** Reads {@code n} more frames, as the slow stage would, and commits the position after them. */
    private static void consumeAndCommit(KafkaConsumer<byte[], byte[]> c, int n) {
        TopicPartition tp = new TopicPartition(FRAMES, 0);
        int taken = 0;
        long next = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (taken < n && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (taken == n) {
                    break;
                }
                taken++;
                next = r.offset() + 1;
            }
        }
        assertThat(taken).isEqualTo(n);
        c.commitSync(Map.of(tp, new OffsetAndMetadata(next)));
        c.seek(tp, next); // what was polled past the commit is read again next time
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    /** The event time of the report being fed: the reader stamps its reports with it. */
    private static final class SettableClock extends Clock {
        volatile long now;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return now;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }
    }
}
