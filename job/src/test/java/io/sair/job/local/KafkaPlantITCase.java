package io.sair.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Allocation;
import io.sair.core.model.Json;
import io.sair.core.model.Mode;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageTarget;
import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.PlantOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plant's side of the fast path, with a real broker and this test in the job's place: surge decisions are
 * applied in order of arrival whichever call reads them, including while a round waits for its decision.
 */
class KafkaPlantITCase {

    static final long EPOCH = 1_767_225_600_000L;

    static EmbeddedKafka kafka;
    static KafkaProducer<byte[], byte[]> job;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(1, "wait.metrics", "wait.actions", "calm.metrics", "calm.actions");
        job = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        job.close(Duration.ofSeconds(5));
        kafka.close();
    }

    @Test
    void surgesThatArriveWhileARoundWaitsAreAppliedInOrderAndNoneIsLost() throws Exception {
        PipelinePlant plant = plant();
        List<Allocation> start = plant.allocations();
        Allocation pre = start.get(0);
        Allocation inf = start.get(1);
        Allocation post = start.get(2);
        // Two surges on the same stage (the later one must win), one of them at the round's own instant, then the
        // round's decision, which names another stage only: what the plant runs shows which were applied.
        ScalingDecision first = decision(Selector.SURGE, 25_000,
                StageTarget.of("preprocess", StageKind.CPU, pre, withReplicas(pre, pre.replicas() + 1)));
        ScalingDecision second = decision(Selector.SURGE, 30_000,
                StageTarget.of("preprocess", StageKind.CPU, pre, withReplicas(pre, pre.replicas() + 3)));
        ScalingDecision roundDecision = decision(Selector.BUILTIN, 30_000,
                StageTarget.of("postprocess", StageKind.CPU, post, withReplicas(post, post.replicas() + 1)));
        List<ScalingDecision> surges = new ArrayList<>();
        try (KafkaPlant kp = new KafkaPlant(kafka.bootstrap(), "wait.metrics", "wait.actions", List.of(plant), EPOCH)) {
            kp.onSurge(surges::add);
            // Published once the round is waiting (its reports take the plant to 30 s first).
            CompletableFuture<Void> answer = CompletableFuture.runAsync(() -> publish("wait.actions", first, second,
                    roundDecision), CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
            List<ScalingDecision> got = kp.round(30_000, Duration.ofSeconds(20));
            answer.get();

            assertThat(got).extracting(ScalingDecision::decisionId).containsExactly(roundDecision.decisionId());
            assertThat(surges).extracting(ScalingDecision::decisionId)
                    .containsExactly(first.decisionId(), second.decisionId());
            assertThat(plant.allocations()).containsExactly(withReplicas(pre, pre.replicas() + 3), inf,
                    withReplicas(post, post.replicas() + 1));

            // A surge that comes after the round has returned is applied by the next call.
            ScalingDecision late = decision(Selector.SURGE, 30_000,
                    StageTarget.of("inference", StageKind.GPU, inf, new Allocation(inf.replicas(), inf.cpuMillis(),
                            inf.memoryMb(), 0.5)));
            publish("wait.actions", late);
            assertThat(kp.period(35_000, Duration.ofSeconds(10))).extracting(ScalingDecision::decisionId)
                    .containsExactly(late.decisionId());
            assertThat(plant.allocations().get(1).rate()).isEqualTo(0.5);
            assertThat(surges).hasSize(3);
        }
    }

    @Test
    void aCalmPeriodWaitsOnlyItsShortWaitAndKeepsAnEarlyRoundDecision() throws Exception {
        PipelinePlant plant = plant();
        Allocation post = plant.allocations().get(2);
        try (KafkaPlant kp = new KafkaPlant(kafka.bootstrap(), "calm.metrics", "calm.actions", List.of(plant), EPOCH)) {
            long t0 = System.nanoTime();
            assertThat(kp.period(5_000, Duration.ofMillis(200))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            // A round's decision read during a period waits for its round.
            ScalingDecision roundDecision = decision(Selector.BUILTIN, 30_000,
                    StageTarget.of("postprocess", StageKind.CPU, post, withReplicas(post, post.replicas() + 2)));
            publish("calm.actions", roundDecision);
            assertThat(kp.period(10_000, Duration.ofSeconds(2))).isEmpty();
            assertThat(plant.allocations().get(2)).isEqualTo(post);
            assertThat(kp.round(30_000, Duration.ofSeconds(5))).extracting(ScalingDecision::decisionId)
                    .containsExactly(roundDecision.decisionId());
            assertThat(plant.allocations().get(2).replicas()).isEqualTo(post.replicas() + 2);
        }
    }

    static PipelinePlant plant() {
        AppProfile app = AppProfiles.get("image");
        return new PipelinePlant(app.spec(), app.models(), Scenarios.workload(app, "poisson", 100_000, 1, null, 1.0),
                new PlantOptions(5_000, 3, 256, EPOCH));
    }

    static Allocation withReplicas(Allocation a, int replicas) {
        return new Allocation(replicas, a.cpuMillis(), a.memoryMb(), a.rate());
    }

    static ScalingDecision decision(Selector selector, long atMs, StageTarget target) {
        long end = EPOCH + atMs;
        String pipeline = AppProfiles.get("image").spec().name();
        String id = selector == Selector.SURGE ? ScalingDecision.surgeIdFor(pipeline, end) + "/" + target.stage() + target.replicas()
                : ScalingDecision.idFor(pipeline, end);
        return new ScalingDecision(ScalingDecision.VERSION, id, pipeline, end, Mode.ENFORCE, selector, List.of(target), null,
                null, "test", null, null, 100, 150, 1.0, 0.1, 0);
    }

    static void publish(String topic, ScalingDecision... decisions) {
        for (ScalingDecision d : decisions) {
            job.send(new ProducerRecord<>(topic, null, d.windowEnd(), null, Json.write(d)));
        }
        job.flush();
    }
}
