package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageTarget;
import io.sair.job.local.KafkaPlant;
import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.PlantOptions;
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
    static final KafkaExtension KAFKA = KafkaExtension.withTopics("loop");

    static PipelinePlant plant(String app, String pattern, long seed) {
        AppProfile a = AppProfiles.get(app);
        return new PipelinePlant(a.spec(), a.models(), Scenarios.workload(a, pattern, 50_000_000L, seed, null, 1.0),
                new PlantOptions(5_000, 3, 256, EPOCH));
    }

    static Configuration plantConf(String bootstrap, Path dir, String group, String prefix) {
        Configuration c = JobTestSupport.jobConf(bootstrap, dir, group, prefix);
        c.set(SairOptions.OUT_OF_ORDERNESS, Duration.ZERO);
        return c;
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
        job.cancel().get();

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
