package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.connectors.kafka.DeadLetterSerializer;
import io.sair.core.model.Json;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageMetrics;
import io.sair.core.time.EventWindows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that starts on a backlog (a restart after an outage, an upgrade): the metrics topic has four
 * partitions, pre-filled before the job starts, spread unevenly over them, and one partition is minutes
 * behind the others in event time. Every window of every pipeline must become exactly one context and
 * one decision, with no report late; a report from hours in the future is dead-lettered and freezes
 * nothing. The same backlog split by a savepoint loses and repeats nothing.
 */
class BacklogITCase {

    static final int PIPELINES = 12;
    static final int WINDOWS = 8;
    static final int PARTITIONS = 4;
    static final long BEHIND_MS = 5 * 60_000L;

    @RegisterExtension
    static final MiniClusterExtension MINI = JobTestSupport.miniCluster();

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(b -> {
        for (String prefix : List.of("backlog", "restore")) {
            b.createTopics(PARTITIONS, prefix + ".metrics");
            b.createTopics(1, prefix + ".pipelines", prefix + ".actions", prefix + ".deadletter");
        }
    });

    /** Uneven: six pipelines on partition 0, three on 1, one on 2, two on 3 (the one behind). */
    static int partition(int pipeline) {
        return pipeline < 6 ? 0 : pipeline < 9 ? 1 : pipeline < 10 ? 2 : 3;
    }

    /** Where a pipeline's reports start: at a window of its own (staggered) grid, the last partition's minutes behind. */
    static long start(int pipeline) {
        long offset = EventWindows.offset(name(pipeline), 30_000, SairOptions.WINDOW_STAGGER.defaultValue());
        return ToyPlant.START + offset - (partition(pipeline) == 3 ? BEHIND_MS : 0);
    }

    static String name(int pipeline) {
        return "backlog-" + pipeline;
    }

    /** The reports of windows [from, to) of every pipeline, pipelines interleaved as exporters would send them. */
    static void fill(String topic, int from, int to) {
        for (long t = from * 30_000L; t < to * 30_000L; t += ToyPlant.PERIOD_MS) {
            for (int p = 0; p < PIPELINES; p++) {
                send(topic, p, start(p) + t);
            }
        }
        KAFKA.broker().flush();
    }

    /**
     * One more round of reports past the last window, at one instant for every pipeline (the one behind
     * catches up), so the watermark passes every pipeline's last window while their next stays open (it ends
     * at the earliest 30 s past this report's time minus the pipeline's offset within the window).
     */
    static void close(String topic, int windows) {
        for (int p = 0; p < PIPELINES; p++) {
            send(topic, p, ToyPlant.START + windows * 30_000L + 40_000L);
        }
        KAFKA.broker().flush();
    }

    static void send(String topic, int p, long ts) {
        for (StageMetrics m : new ToyPlant(name(p)).reportsAt(ts)) {
            KAFKA.broker().send(topic, partition(p), m.pipeline(), Json.write(m), ts);
        }
    }

    static void publishSpecs(String prefix) {
        for (int p = 0; p < PIPELINES; p++) {
            KAFKA.broker().send(prefix + ".pipelines", name(p), new ToyPlant(name(p)).specJson(), ToyPlant.START);
        }
        KAFKA.broker().flush();
    }

    @Test
    void aBacklogOverUnevenPartitionsBuildsEveryWindowOnceAndAFutureReportFreezesNothing(@TempDir Path dir)
            throws Exception {
        publishSpecs("backlog");
        fill("backlog.metrics", 0, WINDOWS / 2);
        // One well-formed report three hours ahead of its pipeline (its Kafka timestamp too), mid-backlog.
        StageMetrics future = new ToyPlant(name(0)).reportsAt(ToyPlant.START + 3 * 3600_000L).get(0);
        KAFKA.broker().send("backlog.metrics", partition(0), future.pipeline(), Json.write(future), future.ts());
        fill("backlog.metrics", WINDOWS / 2, WINDOWS);
        close("backlog.metrics", WINDOWS);

        TestingSink<PipelineContext> contexts = new TestingSink<>("backlog-contexts");
        TestingSink<ScalingDecision> decisions = new TestingSink<>("backlog-decisions");
        Configuration conf = conf(dir, "backlog");
        JobClient job = JobTestSupport.environment(conf, contexts, decisions).executeAsync("backlog");
        List<ConsumerRecord<byte[], byte[]>> dead;
        try {
            awaitAll(() -> contexts.results().size() + rounds(decisions.results()).size());
            // It waits (10 s here) for event time to come within reach, then is a dead letter.
            dead = KAFKA.broker().readUntil("backlog.deadletter", Duration.ofSeconds(30), got -> got.size() >= 1);
            Thread.sleep(1000);
        } finally {
            JobTestSupport.cancel(job);
        }
        assertEveryWindowOnce(contexts.results(), decisions.results(), "");
        assertThat(dead).hasSize(1);
        assertThat(reason(dead.get(0))).startsWith("future:");
    }

    @Test
    void theSameBacklogSplitByASavepointLosesAndRepeatsNothing(@TempDir Path dir) throws Exception {
        publishSpecs("restore");
        fill("restore.metrics", 0, WINDOWS / 2);
        TestingSink<PipelineContext> contexts = new TestingSink<>("restore-contexts");
        TestingSink<ScalingDecision> decisions = new TestingSink<>("restore-decisions");
        Configuration conf = conf(dir, "restore");
        JobClient first = JobTestSupport.environment(conf, contexts, decisions).executeAsync("backlog, first half");
        awaitSettled(() -> contexts.results().size() + rounds(decisions.results()).size());
        // Windows still open (the last of the first half) are in the savepoint, not yet decided.
        String savepoint = first.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        int beforeRestore = contexts.results().size();
        assertThat(beforeRestore).isLessThan(PIPELINES * WINDOWS);

        fill("restore.metrics", WINDOWS / 2, WINDOWS);
        close("restore.metrics", WINDOWS);
        Configuration restored = new Configuration(conf);
        restored.setString("execution.state-recovery.path", savepoint);
        JobClient second = JobTestSupport.environment(restored, contexts, decisions).executeAsync("backlog, restored");
        try {
            // Not "until nothing changes for a while": the restored job may take longer than any such pause to
            // start, restore and catch up (seen: the windows of the pipelines of one subtask came after it).
            awaitAll(() -> contexts.results().size() + rounds(decisions.results()).size());
        } finally {
            JobTestSupport.cancel(second);
        }
        List<String> dead = KAFKA.broker().readUntil("restore.deadletter", Duration.ofSeconds(3), got -> !got.isEmpty())
                .stream().map(BacklogITCase::reason).toList();
        assertEveryWindowOnce(contexts.results(), decisions.results(), "dead letters: " + dead);
        assertThat(dead).isEmpty();
    }

    /** The rounds' decisions: the fast path's (selector surge, at report periods) may come between them. */
    static List<ScalingDecision> rounds(List<ScalingDecision> decisions) {
        return decisions.stream().filter(d -> d.selector() != Selector.SURGE).toList();
    }

    /** Exactly one complete context and one decision per pipeline and window, nothing else ({@code why}: shown on failure). */
    static void assertEveryWindowOnce(List<PipelineContext> contexts, List<ScalingDecision> decisions, String why) {
        Set<String> expected = new HashSet<>();
        for (int p = 0; p < PIPELINES; p++) {
            for (int w = 1; w <= WINDOWS; w++) {
                expected.add(name(p) + "@" + (start(p) + w * 30_000L));
            }
        }
        assertThat(contexts.stream().map(c -> c.pipeline() + "@" + c.windowEnd()).toList()).as(why)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(contexts).allSatisfy(c -> assertThat(c.missing()).isEmpty());
        assertThat(rounds(decisions).stream().map(d -> d.pipeline() + "@" + d.windowEnd()).toList()).as(why)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Waits until every window has its context and decision (at most 90 s), then 2 s more, so that a window
     * decided twice still shows.
     */
    static void awaitAll(Supplier<Integer> count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (count.get() < 2 * PIPELINES * WINDOWS && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2000);
    }

    /** Waits until the count has stopped changing for 3 s (at most 90 s): any such point suits a savepoint. */
    static void awaitSettled(Supplier<Integer> count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int now = count.get();
            if (now != last || now == 0) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(3).toNanos()) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /**
     * The job's test settings, but a partition is idle only after 30 s: here every partition has data
     * from the start, and one idle after the tests' usual 1 s (a reader that starts late) would let the
     * watermark pass it, which turns its reports into (dead-lettered) late ones.
     */
    static Configuration conf(Path dir, String prefix) {
        Configuration c = JobTestSupport.jobConf(KAFKA.broker().bootstrap(), dir, prefix, prefix);
        c.set(SairOptions.IDLENESS, Duration.ofSeconds(30));
        return c;
    }

    static String reason(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.headers().lastHeader(DeadLetterSerializer.REASON).value(), StandardCharsets.UTF_8);
    }
}
