package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Allocation;
import io.sair.core.model.Json;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageTarget;
import io.sair.job.local.KafkaPlant;
import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.PlantOptions;
import io.sair.sim.workload.PoissonWorkload;
import io.sair.sim.workload.RateShape;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator as a Kafka plant drives the job: two pipelines with different specs side by side,
 * decisions arrive on sair.actions and change the simulated pipelines, rewards and experiences
 * accumulate in state, and the SAIR metrics are scraped from the Prometheus reporter meanwhile.
 */
class ClosedLoopITCase {

    static final long EPOCH = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, aligned to the 30 s windows
    static final int ROUNDS = 24;

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("loop", "surge");

    static PipelinePlant plant(String app, String pattern, long seed) {
        AppProfile a = AppProfiles.get(app);
        return new PipelinePlant(a.spec(), a.models(), Scenarios.workload(a, pattern, 50_000_000L, seed, null, 1.0),
                new PlantOptions(5_000, 3, 256, EPOCH));
    }

    static Configuration plantConf(String bootstrap, Path dir, String group, String prefix) {
        Configuration c = JobTestSupport.jobConf(bootstrap, dir, group, prefix);
        return KafkaPlant.lockstep(c);
    }

    @Test
    void theJobControlsTwoSimulatedPipelinesThroughKafka(@TempDir Path dir) throws Exception {
        PipelinePlant image = plant("image", "burst", 1);
        PipelinePlant nlp = plant("nlp", "ramp", 2);
        Map<String, PipelineSpec> specs = Map.of(image.spec().name(), image.spec(), nlp.spec().name(), nlp.spec());
        assertThat(specs).hasSize(2);
        assertThat(image.spec().slaP99Ms()).isNotEqualTo(nlp.spec().slaP99Ms());
        List<Allocation> imageStart = image.allocations();

        JobClient job = JobTestSupport.environment(plantConf(KAFKA.broker().bootstrap(), dir, "closed-loop", "loop"), null, null)
                .executeAsync("closed loop");
        List<ScalingDecision> decisions = new ArrayList<>();
        String scraped = "";
        try (KafkaPlant kp = new KafkaPlant(KAFKA.broker().bootstrap(), "loop.metrics", "loop.actions", List.of(image, nlp),
                EPOCH)) {
            kp.publishSpecs("loop.pipelines");
            for (int round = 1; round <= ROUNDS; round++) {
                decisions.addAll(kp.round(round * 30_000L, Duration.ofSeconds(20)));
                if (round == ROUNDS - 2) {
                    scraped = scrapePrometheus();
                }
            }
        }
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        JobTestSupport.cancel(job);

        Map<String, List<ScalingDecision>> byPipeline = decisions.stream()
                .collect(Collectors.groupingBy(ScalingDecision::pipeline));
        assertThat(byPipeline.keySet()).containsExactlyInAnyOrder(image.spec().name(), nlp.spec().name());
        for (var e : byPipeline.entrySet()) {
            PipelineSpec spec = specs.get(e.getKey());
            List<ScalingDecision> ds = e.getValue();
            // One decision per round (the first window closes at round 1), each about its own pipeline only.
            assertThat(ds).hasSizeGreaterThanOrEqualTo(ROUNDS - 2);
            assertThat(ds).extracting(ScalingDecision::windowEnd).doesNotHaveDuplicates();
            Set<String> stageNames = spec.stages().stream().map(s -> s.name()).collect(Collectors.toSet());
            assertThat(ds).allSatisfy(d -> {
                assertThat(d.slaMs()).isEqualTo(spec.slaP99Ms());
                assertThat(d.stages()).extracting(StageTarget::stage).allMatch(stageNames::contains);
            });
            // Rewards are computed from the second decision on, and positive ones are remembered.
            assertThat(ds.subList(1, ds.size())).allSatisfy(d -> assertThat(d.previousReward()).isNotNull());
            assertThat(ds.get(ds.size() - 1).experiences()).isPositive();
            assertThat(ds.get(ds.size() - 1).epsilon()).isLessThan(0.15);
        }
        // The decisions changed the simulated pipeline.
        assertThat(byPipeline.get(image.spec().name())).anyMatch(ScalingDecision::changesAnything);
        assertThat(image.allocations()).isNotEqualTo(imageStart);
        // The SAIR metrics were exported while the job ran.
        assertThat(scraped).contains("sair_decisions").contains("sair_experiences").contains("sair_deadLetters")
                // Per-pipeline gauges carry the pipeline as a label (the reporter writes '-' as '_').
                .contains("sair_pipeline_experiences")
                .contains("pipeline=\"" + image.spec().name().replace('-', '_') + "\"");
    }

    /**
     * The fast path in the job: within the second window the load steps up four-fold at its 10th second; a
     * short window after the step is a surge decision on sair.actions, between the two windows' decisions, and
     * the plant runs what it added.
     */
    @Test
    void aStepInLoadBetweenTwoRoundsIsASurgeDecisionBetweenTheirDecisions(@TempDir Path dir) throws Exception {
        AppProfile app = AppProfiles.get("image");
        double base = app.meanRate();
        RateShape step = new RateShape() {
            public double rate(double tMs) {
                return tMs < 40_000 ? base : 4 * base;
            }

            public double maxRate() {
                return 4 * base;
            }

            public double meanRate() {
                return 4 * base;
            }

            public String describe() {
                return "step x4 at 40 s";
            }
        };
        PipelinePlant plant = new PipelinePlant(app.spec(), app.models(),
                new PoissonWorkload(step, app.u(), app.g(), 50_000_000L, 7), new PlantOptions(5_000, 3, 256, EPOCH));
        JobClient job = JobTestSupport.environment(plantConf(KAFKA.broker().bootstrap(), dir, "surge", "surge"), null, null)
                .executeAsync("surge");
        List<ScalingDecision> onTopic = new ArrayList<>();
        List<ScalingDecision> surges = new ArrayList<>();
        List<Allocation> beforeSurge;
        List<Allocation> afterSurge;
        try (KafkaPlant kp = new KafkaPlant(KAFKA.broker().bootstrap(), "surge.metrics", "surge.actions", List.of(plant),
                EPOCH)) {
            kp.onRawDecision(bytes -> onTopic.add(Json.read(bytes, ScalingDecision.class)));
            kp.publishSpecs("surge.pipelines");
            assertThat(kp.round(30_000, Duration.ofSeconds(20))).hasSize(1);
            beforeSurge = plant.allocations();
            // Calm periods are not waited for long; after the step each period waits for the surge.
            for (long t = 35_000; t < 60_000 && surges.isEmpty(); t += 5_000) {
                surges.addAll(kp.period(t, Duration.ofSeconds(t <= 40_000 ? 1 : 8)));
            }
            assertThat(surges).as("a surge after the step").isNotEmpty();
            afterSurge = plant.allocations();
            assertThat(kp.round(60_000, Duration.ofSeconds(20))).hasSize(1);
        } finally {
            JobTestSupport.cancel(job);
        }
        assertThat(surges).allSatisfy(d -> {
            assertThat(d.selector()).isEqualTo(Selector.SURGE);
            assertThat(d.windowEnd()).isGreaterThan(EPOCH + 40_000).isLessThan(EPOCH + 60_000);
            assertThat(d.changesAnything()).isTrue();
        });
        List<Long> order = onTopic.stream().map(ScalingDecision::windowEnd).toList();
        assertThat(order).containsSubsequence(EPOCH + 30_000, surges.get(0).windowEnd(), EPOCH + 60_000);
        assertThat(onTopic).filteredOn(d -> d.selector() != Selector.SURGE).extracting(ScalingDecision::windowEnd)
                .containsExactly(EPOCH + 30_000, EPOCH + 60_000);
        assertThat(afterSurge).as("the plant runs the surge").isNotEqualTo(beforeSurge);
    }

    /** The first reporter port in the configured range that serves SAIR metrics. */
    static String scrapePrometheus() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        StringBuilder all = new StringBuilder();
        for (int port = 9250; port <= 9269; port++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    all.append(r.body());
                }
            } catch (IOException e) {
                // nothing listens on this port
            }
        }
        return all.toString();
    }
}
