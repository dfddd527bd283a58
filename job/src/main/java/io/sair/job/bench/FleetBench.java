package io.sair.job.bench;

import io.sair.core.model.Json;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageSpec;
import io.sair.job.SairJobMain;
import io.sair.job.SairOptions;
import io.sair.job.local.EmbeddedKafka;
import io.sair.sim.AppProfiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A fleet at the real cadence: N pipelines x 3 stages, one report per stage per 5 s. Two modes, one run:
 *
 * <ol>
 *   <li>as fast as the job can take it: {@link IngestBench} on {@code windows} windows of backlog (the plain
 *       loop next to the whole job, decisions expected and published);</li>
 *   <li>in real time: exporters report on the wall clock, each pipeline at its own phase within the 5 s
 *       period, into the production job ({@link SairJobMain#wire}, unbounded sources) on a MiniCluster;
 *       every decision's lateness is its arrival on {@code sair.actions} minus the earliest moment its
 *       window can close (window end + out-of-orderness: the report that moves the watermark past the end
 *       is sent then). Also the checkpoints (duration, size, the tasks holding most of it), the lateness of the
 *       decisions that arrived while a checkpoint ran against the others', the heap after a GC and RocksDB's
 *       files.</li>
 * </ol>
 */
public final class FleetBench {

    private static final long REPORT_MS = 5_000;
    private static final String METRICS = "sair.metrics";
    private static final String PIPELINES = "sair.pipelines";
    private static final String ACTIONS = "sair.actions";

    private final int pipelines;
    private final int windows;
    private final Duration realTime;
    private final int parallelism;
    private final PrintStream out;

    public FleetBench(int pipelines, int windows, Duration realTime, int parallelism, PrintStream out) {
        this.pipelines = pipelines;
        this.windows = windows;
        this.realTime = realTime;
        this.parallelism = parallelism;
        this.out = out;
    }

    public void run() throws Exception {
        PipelineSpec template = AppProfiles.image().spec();
        int stages = template.stages().size();
        long records = (long) pipelines * stages * (30_000 / REPORT_MS) * windows;
        out.printf("fleet, mode 1 (as fast as the job takes it): %,d pipelines, %d windows of backlog; %,d decisions "
                + "expected%n", pipelines, windows, IngestBench.windowsToDecide(records, pipelines, stages));
        new IngestBench(records, pipelines, parallelism, out).run();
        out.printf("fleet, mode 2 (real time): %,d pipelines x %d stages every 5 s = %,.0f records/s for %d s%n", pipelines,
                stages, pipelines * stages * 1000.0 / REPORT_MS, realTime.toSeconds());
        realTime(template);
    }

    private void realTime(PipelineSpec template) throws Exception {
        Path dir = Files.createTempDirectory("sair-fleet");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(parallelism, METRICS, PIPELINES, ACTIONS, "sair.deadletter");
            publishSpecs(kafka.bootstrap(), template);
            Configuration conf = jobConf(kafka.bootstrap(), dir);
            MiniClusterConfiguration mc = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                    .setNumTaskManagers(1).setNumSlotsPerTaskManager(parallelism).build();
            try (MiniCluster cluster = new MiniCluster(mc)) {
                cluster.start();
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
                SairJobMain.configure(env, conf);
                SairJobMain.wire(conf).build(env);
                JobID job = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
                awaitRunning(cluster, job);
                Lateness lateness = measure(kafka.bootstrap(), template, conf.get(SairOptions.OUT_OF_ORDERNESS));
                report(lateness, cluster.getExecutionGraph(job).get(), dir.resolve("rocksdb"));
                cluster.cancelJob(job).get();
            }
        } finally {
            deleteTree(dir);
        }
    }

    private Configuration jobConf(String bootstrap, Path dir) {
        Configuration c = SairJobMain.withJobDefaults(new Configuration());
        c.set(SairOptions.BOOTSTRAP_SERVERS, bootstrap);
        c.set(SairOptions.PER_PIPELINE_METRICS, false);
        c.setString("parallelism.default", String.valueOf(parallelism));
        c.setString("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());
        c.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        c.setString("rest.bind-address", "127.0.0.1");
        c.setString("rest.address", "127.0.0.1");
        c.setString("rest.port", "0");
        return c;
    }

    /** Exporters on the wall clock for {@link #realTime}, and a reader timing every decision. */
    private Lateness measure(String bootstrap, PipelineSpec template, Duration outOfOrderness) throws Exception {
        long t0 = (System.currentTimeMillis() / 30_000 + 1) * 30_000; // the next window boundary
        long stop = t0 + realTime.toMillis();
        // Every pipeline has as many windows ending in (t0 + 30 s, stop], whatever its offset (sair.window.stagger).
        Lateness lateness = new Lateness(t0, t0 + 30_000, stop, outOfOrderness.toMillis());
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> lateness.read(bootstrap, done), "fleet-decisions");
        reader.start();
        long sent = exporters(bootstrap, template, t0, stop + outOfOrderness.toMillis() + REPORT_MS);
        Thread.sleep(3_000); // the last windows' decisions
        done.set(true);
        reader.join();
        lateness.sent = sent;
        return lateness;
    }

    /** Every pipeline reports every 5 s at its own phase, timestamped when it is sent. */
    private long exporters(String bootstrap, PipelineSpec template, long t0, long until) throws Exception {
        List<StageSpec> stages = template.stages();
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (long period = t0; period < until; period += REPORT_MS) {
                for (int i = 0; i < pipelines; i++) {
                    long ts = period + i * REPORT_MS / pipelines;
                    long wait = ts - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    for (int s = 0; s < stages.size(); s++, sent++) {
                        byte[] value = Json.write(IngestBench.report(IngestBench.name(i), stages.get(s),
                                s == stages.size() - 1, ts, period / REPORT_MS));
                        producer.send(new ProducerRecord<>(METRICS, null, ts, IngestBench.name(i).getBytes(), value));
                    }
                }
            }
        }
        return sent;
    }

    private void publishSpecs(String bootstrap, PipelineSpec template) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < pipelines; i++) {
                producer.send(new ProducerRecord<>(PIPELINES, null, System.currentTimeMillis(),
                        IngestBench.name(i).getBytes(), Json.write(IngestBench.spec(template, i))));
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void report(Lateness l, AccessExecutionGraph graph, Path rocksdb) {
        out.printf("  sent %,d records in %d s (%,.0f records/s)%n", l.sent, realTime.toSeconds(),
                l.sent * 1000.0 / (realTime.toMillis() + REPORT_MS));
        long expected = (long) pipelines * ((l.untilMs - l.afterMs) / 30_000);
        out.printf("  decisions for the windows ending after %d s up to %d s into the run: %,d expected, %,d published%n",
                (l.afterMs - l.t0) / 1000, (l.untilMs - l.t0) / 1000, expected, l.counted.get());
        out.printf("  decision lateness (arrival on sair.actions - (window end + out-of-orderness)): p50 %,d ms, "
                + "p99 %,d ms, max %,d ms%n", l.ms.getValueAtPercentile(50), l.ms.getValueAtPercentile(99), l.ms.getMaxValue());
        var completed = graph.getCheckpointStatsSnapshot() == null ? List.<AbstractCheckpointStats>of()
                : graph.getCheckpointStatsSnapshot().getHistory().getCheckpoints().stream()
                        .filter(c -> c.getStatus() == CheckpointStatsStatus.COMPLETED).toList();
        if (completed.isEmpty()) {
            out.println("  checkpoints: none completed");
        } else {
            AbstractCheckpointStats last = completed.get(0);
            long maxMs = completed.stream().mapToLong(AbstractCheckpointStats::getEndToEndDuration).max().orElse(0);
            out.printf("  checkpoints: %d completed; the last took %,d ms, %,d bytes of state (%,d checkpointed); "
                    + "the longest took %,d ms%n", completed.size(), last.getEndToEndDuration(), last.getStateSize(),
                    last.getCheckpointedSize(), maxMs);
            stateByOperator(last, graph);
            latenessAroundCheckpoints(l, completed);
        }
        System.gc();
        out.printf("  heap after GC: %,d MB (this JVM: broker, MiniCluster, exporters); RocksDB files: %,d MB%n",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20, size(rocksdb) >> 20);
    }

    /** Where the last checkpoint's bytes are: each task (an operator chain) with its state, largest first. */
    private void stateByOperator(AbstractCheckpointStats last, AccessExecutionGraph graph) {
        graph.getAllVertices().values().stream()
                .filter(v -> last.getTaskStateStats(v.getJobVertexId()) != null)
                .sorted((a, b) -> Long.compare(last.getTaskStateStats(b.getJobVertexId()).getCheckpointedSize(),
                        last.getTaskStateStats(a.getJobVertexId()).getCheckpointedSize()))
                .limit(4)
                .forEach(v -> {
                    var t = last.getTaskStateStats(v.getJobVertexId());
                    out.printf("    %s: %,d bytes of state (%,d checkpointed)%n", v.getName(), t.getStateSize(),
                            t.getCheckpointedSize());
                });
    }

    /**
     * The lateness of the decisions that arrived while a checkpoint ran (its trigger to its completion) against the
     * others': on a machine of few cores the checkpoint's work (the snapshot, the upload) takes the task threads'
     * CPU, so its decisions wait.
     */
    private void latenessAroundCheckpoints(Lateness l, List<AbstractCheckpointStats> completed) {
        List<long[]> spans = completed.stream()
                .map(c -> new long[] {c.getTriggerTimestamp(), c.getTriggerTimestamp() + c.getEndToEndDuration()}).toList();
        Histogram[] split = l.arrivals.splitBy(spans);
        out.printf("  lateness while a checkpoint ran: %,d decisions, p99 %,d ms; at other times: %,d decisions, p99 %,d ms%n",
                split[0].getTotalCount(), split[0].getValueAtPercentile(99), split[1].getTotalCount(),
                split[1].getValueAtPercentile(99));
    }

    /** Arrival times and latenesses, appended by the reader thread and read after it has ended. */
    static final class Arrivals {
        private long[] at = new long[1 << 12];
        private long[] late = new long[1 << 12];
        private int size;

        void add(long arrivalMs, long latenessMs) {
            if (size == at.length) {
                at = Arrays.copyOf(at, size * 2);
                late = Arrays.copyOf(late, size * 2);
            }
            at[size] = arrivalMs;
            late[size++] = latenessMs;
        }

        /**
         * The latenesses of the arrivals within any of {@code spans} (each {start, end} ms, inclusive) and of the
         * others, in that order.
         */
        Histogram[] splitBy(List<long[]> spans) {
            Histogram during = new Histogram(3_600_000L, 3);
            Histogram outside = new Histogram(3_600_000L, 3);
            for (int i = 0; i < size; i++) {
                long t = at[i];
                boolean in = spans.stream().anyMatch(s -> t >= s[0] && t <= s[1]);
                (in ? during : outside).recordValue(late[i]);
            }
            return new Histogram[] {during, outside};
        }
    }

    /** The decisions of the windows ending in (after, until], timed on arrival. */
    private static final class Lateness {
        final long t0;
        final long afterMs;
        final long untilMs;
        final long outOfOrdernessMs;
        final Histogram ms = new Histogram(3_600_000L, 3);
        final AtomicLong counted = new AtomicLong();
        /** Each decision's arrival (wall clock) and lateness, to tell the checkpoints' part of the tail. */
        final Arrivals arrivals = new Arrivals();
        long sent;

        Lateness(long t0, long afterMs, long untilMs, long outOfOrdernessMs) {
            this.t0 = t0;
            this.afterMs = afterMs;
            this.untilMs = untilMs;
            this.outOfOrdernessMs = outOfOrdernessMs;
        }

        void read(String bootstrap, AtomicBoolean done) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "fleet-bench");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                c.subscribe(List.of(ACTIONS));
                while (!done.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        ScalingDecision d = Json.read(r.value(), ScalingDecision.class);
                        if (d.windowEnd() > afterMs && d.windowEnd() <= untilMs) {
                            counted.incrementAndGet();
                            long late = Math.max(0, Math.min(3_600_000L, now - d.windowEnd() - outOfOrdernessMs));
                            ms.recordValue(late);
                            arrivals.add(now, late);
                        }
                    }
                }
            }
        }
    }

    private static void awaitRunning(MiniCluster cluster, JobID job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (cluster.getJobStatus(job).get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not start within 2 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static long size(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
