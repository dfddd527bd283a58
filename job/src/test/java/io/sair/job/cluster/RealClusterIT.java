package io.sair.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.ScalingDecision;
import io.sair.job.KafkaTestBroker;
import io.sair.job.local.KafkaPlant;
import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.PlantOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster jar on a real standalone Flink cluster (a JobManager and two TaskManagers as separate
 * JVMs on loopback), driving a simulated pipeline through a real Kafka broker: submitted through the
 * REST API, stopped with a savepoint, the changed version submitted from it through {@code flink run},
 * then a TaskManager killed with SIGKILL. The learned state (the experience count in each decision)
 * must survive each step and decisions must go on. Prints the times of each step.
 */
class RealClusterIT {

    private static final long EPOCH = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, aligned to the 30 s windows
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    @Test
    void restSubmitSavepointUpgradeThroughTheCliAndATaskManagerKill(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("sair.cluster.jar"));
        long t0 = System.nanoTime();
        try (KafkaTestBroker kafka = KafkaTestBroker.start();
             StandaloneCluster cluster = StandaloneCluster.start(dir, 2, clusterConfig(dir))) {
            kafka.createTopics(2, "rc.metrics");
            kafka.createTopics(1, "rc.pipelines", "rc.actions", "rc.deadletter");
            FlinkRest rest = new FlinkRest(cluster.restUrl());
            try (KafkaPlant kp = new KafkaPlant(kafka.bootstrap(), "rc.metrics", "rc.actions", List.of(plant()), EPOCH)) {
                kp.publishSpecs("rc.pipelines");
                FlinkRest.await(() -> rest.get("/taskmanagers").path("taskmanagers").size(), n -> n == 2,
                        Duration.ofSeconds(90));
                System.out.printf("cluster: JobManager and 2 TaskManagers registered after %d ms%n", ms(t0));
                run(cluster, rest, kp, jar, kafka.bootstrap());
            } catch (Exception | AssertionError e) {
                System.out.println(cluster.logTails());
                throw e;
            }
        }
    }

    private void run(StandaloneCluster cluster, FlinkRest rest, KafkaPlant kp, Path jar, String bootstrap)
            throws Exception {
        // 1. Submit through the REST API.
        long t = System.nanoTime();
        String jarId = rest.uploadJar(jar);
        String first = rest.runJar(jarId, args(bootstrap, "true"), null);
        awaitAllRunning(rest, first);
        long submitMs = ms(t);
        List<ScalingDecision> phase1 = rounds(kp, 1, 6, Duration.ofSeconds(30));
        ScalingDecision beforeSavepoint = last(phase1);

        // 2. Stop with a savepoint.
        t = System.nanoTime();
        String savepoint = rest.stopWithSavepoint(first, cluster.dir().resolve("savepoints").toUri().toString(),
                Duration.ofSeconds(60));
        long savepointMs = ms(t);
        // The REST job details are cached (web.refresh-interval, 3 s): the job may still read RUNNING for a moment.
        assertThat(FlinkRest.await(() -> rest.jobState(first), "FINISHED"::equals, Duration.ofSeconds(15)))
                .isEqualTo("FINISHED");

        // 3. The changed version (per-pipeline metrics off) from the savepoint, through `flink run`.
        t = System.nanoTime();
        List<String> cli = new ArrayList<>(List.of("run", "-d", "-s", savepoint, jar.toString()));
        cli.addAll(args(bootstrap, "false"));
        String out = cluster.cli(Duration.ofSeconds(120), cli.toArray(String[]::new));
        Matcher m = JOB_ID.matcher(out);
        assertThat(m.find()).as("flink run printed the job id:%n%s", out).isTrue();
        String second = m.group(1);
        awaitAllRunning(rest, second);
        long restoreMs = ms(t);
        List<ScalingDecision> phase2 = rounds(kp, 7, 10, Duration.ofSeconds(30));
        ScalingDecision afterRestore = phase2.get(0);
        ScalingDecision beforeKill = last(phase2);

        // 4. kill -9 of a TaskManager once a checkpoint holds everything decided so far.
        long decided = System.currentTimeMillis();
        FlinkRest.await(() -> rest.latestCheckpointTrigger(second), ts -> ts > decided, Duration.ofSeconds(30));
        t = System.nanoTime();
        String victim = rest.taskManagerOf(second);
        long killedAt = System.currentTimeMillis();
        cluster.killTaskManager(victim);
        // The restart may be quicker than a poll: the job's RESTARTING timestamp says it happened.
        FlinkRest.await(() -> rest.get("/jobs/" + second).path("timestamps").path("RESTARTING").asLong(),
                ts -> ts >= killedAt, Duration.ofSeconds(30));
        awaitAllRunning(rest, second);
        long recoveryMs = ms(t);
        List<ScalingDecision> phase3 = rounds(kp, 11, 14, Duration.ofSeconds(45));
        long firstDecisionAfterKillMs = ms(t);
        ScalingDecision afterKill = phase3.get(0);

        System.out.printf("""
                submit through REST (upload + run to all tasks RUNNING): %d ms
                killed TaskManager %s, which ran the job's first task
                stop-with-savepoint: %d ms (%s)
                restore of the changed version through flink run (CLI start to all tasks RUNNING): %d ms
                recovery after kill -9 of a TaskManager: %d ms to all tasks RUNNING, %d ms to 4 more rounds decided
                experiences: %d at the last decision before the savepoint, %d at the first after the restore,
                             %d at the last before the kill, %d at the first after the recovery, %d at the end
                decisions: %d over REST, %d after the restore, %d after the kill
                """, submitMs, victim, savepointMs, savepoint, restoreMs, recoveryMs, firstDecisionAfterKillMs,
                beforeSavepoint.experiences(), afterRestore.experiences(), beforeKill.experiences(),
                afterKill.experiences(), last(phase3).experiences(), phase1.size(), phase2.size(), phase3.size());

        assertThat(phase1).hasSizeGreaterThanOrEqualTo(5);
        assertThat(beforeSavepoint.experiences()).isPositive();
        assertThat(phase2).hasSize(4);
        // The restored version goes on from what it had learned: the pending decision is rewarded, memory kept.
        assertThat(afterRestore.previousReward()).isNotNull();
        assertThat(afterRestore.experiences()).isBetween(beforeSavepoint.experiences(), beforeSavepoint.experiences() + 1);
        // After the kill the job came back from a checkpoint that held the last decision's state.
        assertThat(phase3).hasSize(4);
        assertThat(afterKill.previousReward()).isNotNull();
        assertThat(afterKill.experiences()).isBetween(beforeKill.experiences(), beforeKill.experiences() + 1);
        assertThat(rest.get("/taskmanagers").path("taskmanagers").size()).isEqualTo(1);
    }

    /** The job's arguments: the test's broker and topics, a 2 s checkpoint, and the option the upgrade changes. */
    private static List<String> args(String bootstrap, String perPipelineMetrics) {
        return List.of("--sair.kafka.bootstrap-servers", bootstrap, "--sair.kafka.group-id", "rc",
                "--sair.topic.metrics", "rc.metrics", "--sair.topic.pipelines", "rc.pipelines",
                "--sair.topic.actions", "rc.actions", "--sair.topic.deadletter", "rc.deadletter",
                // The plant reports in order: a zero bound closes each window at its last report.
                "--sair.watermark.out-of-orderness", "0 s", "--sair.window.stagger", "false", "--sair.watermark.idleness", "1 s",
                "--sair.checkpoint.interval", "2 s", "--sair.metrics.per-pipeline", perPipelineMetrics);
    }

    private static Map<String, String> clusterConfig(Path dir) {
        return Map.ofEntries(
                Map.entry("taskmanager.numberOfTaskSlots", "2"),
                Map.entry("parallelism.default", "2"),
                Map.entry("restart-strategy.type", "fixed-delay"),
                Map.entry("restart-strategy.fixed-delay.attempts", "10"),
                Map.entry("restart-strategy.fixed-delay.delay", "1 s"),
                // A dead TaskManager is noticed in seconds, not the default 50 s.
                Map.entry("heartbeat.interval", "1000"),
                Map.entry("heartbeat.timeout", "5000"),
                Map.entry("state.backend.type", "rocksdb"),
                Map.entry("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString()),
                Map.entry("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString()));
    }

    private static PipelinePlant plant() {
        AppProfile a = AppProfiles.get("image");
        return new PipelinePlant(a.spec(), a.models(), Scenarios.workload(a, "burst", 50_000_000L, 7, null, 1.0),
                new PlantOptions(5_000, 3, 256, EPOCH));
    }

    private static List<ScalingDecision> rounds(KafkaPlant kp, int from, int to, Duration timeout) {
        List<ScalingDecision> out = new ArrayList<>();
        for (int round = from; round <= to; round++) {
            out.addAll(kp.round(round * 30_000L, timeout));
        }
        return out;
    }

    private static void awaitAllRunning(FlinkRest rest, String jobId) throws Exception {
        FlinkRest.await(() -> rest.allTasksRunning(jobId), Boolean::booleanValue, Duration.ofSeconds(90));
    }

    private static ScalingDecision last(List<ScalingDecision> ds) {
        assertThat(ds).isNotEmpty();
        return ds.get(ds.size() - 1);
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
