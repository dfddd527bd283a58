package io.sair.job.demo;

import io.sair.core.model.Json;
import io.sair.core.model.ScalingDecision;
import io.sair.job.SairJobMain;
import io.sair.job.SairOptions;
import io.sair.job.local.EmbeddedKafka;
import io.sair.job.local.KafkaPlant;
import io.sair.job.local.LoopbackOnly;
import io.sair.job.local.ScratchDir;
import io.sair.job.report.DemoReport;
import io.sair.sim.bench.Autoscalers;
import io.sair.sim.bench.Tuning;
import io.sair.sim.loop.ClosedLoop;
import io.sair.sim.loop.RunResult;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.PlantOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One demo: the SAIR job on a local MiniCluster (RocksDB state) over Kafka (embedded on loopback unless
 * given), driven in lockstep by the simulator as its plant (every report period, so that the fast path's
 * surge decisions are applied between rounds), and the same requests under static
 * allocation and under each production baseline ({@link Baselines}) for comparison. Writes decisions.jsonl, rounds.csv and report.html. {@link #close()} stops
 * whatever is running (also from a shutdown hook on Ctrl-C) and may be called more than once.
 */
public final class DemoRun implements AutoCloseable {

    /** 2026-01-01T00:00:00Z: simulated time 0, aligned to the 30 s windows. */
    public static final long EPOCH_MS = 1_767_225_600_000L;
    static final long WINDOW_MS = 30_000;
    /** The simulated pipeline reports every 5 s ({@link DemoConfig#plant}): the fast path's cadence. */
    static final long PERIOD_MS = PlantOptions.defaults().reportPeriodMs();
    /** More requests than any demo can send: the run ends after its rounds, not when the workload does. */
    static final long REQUESTS = 1_000_000_000L;

    private final DemoConfig cfg;
    private final PrintStream out;
    private final ProgressLine progress;

    private EmbeddedKafka broker;
    private ScratchDir scratch;
    private JobClient job;
    private KafkaPlant kafkaPlant;
    private OutputStream decisionsFile;
    private RoundsCsv roundsCsv;
    private volatile boolean stopping;
    private volatile boolean stopRequested;
    private boolean closed;

    public DemoRun(DemoConfig cfg, PrintStream out, boolean terminal) {
        this.cfg = cfg;
        this.out = out;
        this.progress = new ProgressLine(out, terminal);
    }

    public DemoResult run() throws Exception {
        long wall0 = System.nanoTime();
        try {
            Files.createDirectories(cfg.out());
        } catch (IOException e) {
            throw new IllegalArgumentException(Files.exists(cfg.out()) ? "--out " + cfg.out() + " exists and is not a directory"
                    : "--out: cannot create the directory " + cfg.out());
        }
        // The static run first: it is quick, deterministic, and its window p99 shows next to SAIR's each round.
        // (The in-process loop reads its windows on simulated time from 0, so its plant's clock starts at 0.)
        PipelinePlant staticPlant = plant(0L);
        RunResult staticRun = new ClosedLoop(WINDOW_MS, cfg.rounds() * WINDOW_MS).run(cfg.app().name(), cfg.pattern(),
                cfg.seed(), staticPlant, Autoscalers.create("static", staticPlant.spec(), Tuning.DEFAULT));
        RunFigures staticFigures = RunFigures.of("static", staticPlant, staticRun.decisions());
        // What the user would otherwise run, on the same requests: in-process too, a few seconds at most.
        Baselines baselines = Baselines.run(cfg);
        out.printf(Locale.ROOT, "Best baseline on the same requests: %s (%s); %s%n", baselines.best().name(),
                baselines.best().setting(), baselines.how());

        String bootstrap = startKafka();
        EmbeddedKafka.createTopics(bootstrap, 1, cfg.topic("metrics"), cfg.topic("pipelines"), cfg.topic("actions"),
                cfg.topic("deadletter"));
        job = startJob(bootstrap);
        out.printf("Flink job running on a local MiniCluster (RocksDB state, checkpoints in %s)%n",
                cfg.out().resolve("checkpoints"));

        PipelinePlant plant = plant(EPOCH_MS);
        decisionsFile = Files.newOutputStream(cfg.out().resolve("decisions.jsonl"));
        roundsCsv = new RoundsCsv(cfg.out().resolve("rounds.csv"));
        kafkaPlant = new KafkaPlant(bootstrap, cfg.topic("metrics"), cfg.topic("actions"), List.of(plant), EPOCH_MS);
        kafkaPlant.onRawDecision(this::keepDecision);
        kafkaPlant.publishSpecs(cfg.topic("pipelines"));

        List<RoundRow> rows = new ArrayList<>();
        List<SurgeRow> surges = new ArrayList<>();
        double[] staticP99 = staticRun.trajectory().p99Ms();
        for (int round = 1; round <= cfg.rounds() && !stopping; round++) {
            int r = round;
            int surgesBefore = surges.size();
            kafkaPlant.onSurge(d -> surges.add(SurgeRow.of(r, EPOCH_MS, d, plant.now())));
            // Every report period between rounds goes out on its own, so that the fast path's surges land when
            // they are decided, not at the round's end.
            for (long t = (round - 1) * WINDOW_MS + PERIOD_MS; t < round * WINDOW_MS && !stopping; t += PERIOD_MS) {
                long started = System.nanoTime();
                kafkaPlant.period(t, periodWait());
                pace(started, PERIOD_MS);
            }
            long started = System.nanoTime();
            // The first round also waits for the job to start reading.
            Duration timeout = Duration.ofSeconds(round == 1 ? 120 : 30);
            List<ScalingDecision> got = kafkaPlant.round(round * WINDOW_MS, timeout);
            if (got.isEmpty()) {
                failIfJobEnded();
                progress.missing(round, cfg.rounds(), timeout.toSeconds());
            } else {
                RoundRow row = RoundRow.of(round, EPOCH_MS, got.get(0));
                rows.add(row);
                roundsCsv.add(row);
                progress.round(row, cfg.rounds(), round - 1 < staticP99.length ? staticP99[round - 1] : Double.NaN,
                        surges.size() - surgesBefore);
            }
            pace(started, PERIOD_MS);
        }
        progress.finish();
        if (stopping) {
            throw new InterruptedException("demo interrupted");
        }
        plant.abandonInFlight();
        // Decisions that changed an allocation: the rounds' and the surges' alike.
        RunFigures sairFigures = RunFigures.of("SAIR", plant, rows.stream().filter(r -> !r.decision().equals("hold")).count()
                + surges.stream().filter(s -> !s.decision().decision().equals("hold")).count());
        kafkaPlant.close();
        kafkaPlant = null;
        String savepoint = stopWithSavepoint();
        closeFiles();
        Path report = cfg.out().resolve("report.html");
        DemoResult result = new DemoResult(cfg, List.copyOf(rows), List.copyOf(surges), sairFigures, staticFigures, staticRun,
                baselines, savepoint, report, (System.nanoTime() - wall0) / 1e9);
        DemoReport.write(result, report);
        return result;
    }

    /** The simulated pipeline, reporting every 5 s of its time, on the demo's clock. */
    private PipelinePlant plant(long epochMs) {
        return cfg.plant(cfg.seed(), epochMs);
    }

    private String startKafka() throws Exception {
        if (cfg.bootstrap() == null) {
            broker = EmbeddedKafka.start(cfg.kafkaPort());
            out.println("Kafka broker (embedded) on " + broker.bootstrap());
            return broker.bootstrap();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + cfg.bootstrap() + " within 5 s");
        }
        out.println("Kafka at " + cfg.bootstrap() + ", topics " + cfg.topicPrefix() + ".*");
        return cfg.bootstrap();
    }

    private JobClient startJob(String bootstrap) throws Exception {
        Configuration c = new Configuration();
        c.set(SairOptions.BOOTSTRAP_SERVERS, bootstrap);
        c.set(SairOptions.GROUP_ID, cfg.topicPrefix() + "-job");
        c.set(SairOptions.TOPIC_METRICS, cfg.topic("metrics"));
        c.set(SairOptions.TOPIC_PIPELINES, cfg.topic("pipelines"));
        c.set(SairOptions.TOPIC_ACTIONS, cfg.topic("actions"));
        c.set(SairOptions.TOPIC_DEADLETTER, cfg.topic("deadletter"));
        KafkaPlant.lockstep(c);
        c.set(SairOptions.IDLENESS, Duration.ofSeconds(1));
        c.set(SairOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(10));
        c.setString("execution.checkpointing.dir", cfg.out().resolve("checkpoints").toAbsolutePath().toUri().toString());
        c.setString("execution.checkpointing.savepoint-dir",
                cfg.out().resolve("savepoints").toAbsolutePath().toUri().toString());
        c.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        // The MiniCluster's files and RocksDB's: this run's own directory (not one shared with other runs and
        // flink-conf's jobs), deleted by close().
        scratch = ScratchDir.create("demo");
        scratch.apply(c);
        c.setString("restart-strategy.type", "none");
        c.setString("parallelism.default", "1");
        Configuration conf = LoopbackOnly.apply(SairJobMain.withJobDefaults(c));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        SairJobMain.configure(env, conf);
        SairJobMain.wire(conf).build(env);
        return env.executeAsync("SAIR demo");
    }

    private void keepDecision(byte[] bytes) {
        try {
            decisionsFile.write(bytes);
            decisionsFile.write('\n');
            decisionsFile.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void failIfJobEnded() throws Exception {
        JobStatus s;
        try {
            s = job.getJobStatus().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // A fatal error in a task (a class missing from the classpath, say) takes the whole local cluster down.
            throw new IllegalStateException("the local Flink cluster stopped; the cause is in "
                    + cfg.out().resolve("demo.log"), e);
        }
        if (s.isGloballyTerminalState()) {
            String why = "";
            try {
                job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                why = ": " + root;
            }
            throw new IllegalStateException("the Flink job stopped (" + s + ")" + why + "; see "
                    + cfg.out().resolve("demo.log"));
        }
    }

    /**
     * How long a report period waits for a surge: about as long as the job took to answer the last round (a surge
     * goes the same way), at least 100 ms and at most 1 s, so that a calm period costs little wall time. With
     * --speedup the period's paced time is spent waiting instead of sleeping. A surge that comes later is applied
     * by the next call.
     */
    private Duration periodWait() {
        long ms = Math.min(1_000, Math.max(100, 2 * kafkaPlant.lastRoundWait().toMillis()));
        if (cfg.speedup() > 0) {
            ms = Math.max(ms, (long) (PERIOD_MS / cfg.speedup()));
        }
        return Duration.ofMillis(ms);
    }

    /** With --speedup X, {@code simMs} of simulated time take at least simMs/X of wall time. */
    private void pace(long startedNanos, long simMs) throws InterruptedException {
        if (cfg.speedup() > 0) {
            long wantMs = (long) (simMs / cfg.speedup());
            long tookMs = (System.nanoTime() - startedNanos) / 1_000_000;
            if (wantMs > tookMs) {
                Thread.sleep(wantMs - tookMs);
            }
        }
    }

    /** Stops the job with a savepoint of what it learned (null, and the job cancelled, when that fails). */
    private String stopWithSavepoint() {
        try {
            String path = job.stopWithSavepoint(false, cfg.out().resolve("savepoints").toAbsolutePath().toUri().toString(),
                    SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
            job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
            job = null;
            // Flink answers with a file: URI; a plain path is what people paste into ./sair state.
            return path.startsWith("file:") ? Path.of(URI.create(path)).toString() : path;
        } catch (Exception e) {
            out.println("could not take a savepoint (" + e.getMessage() + "); cancelling the job");
            return null;
        }
    }

    private void closeFiles() throws IOException {
        if (decisionsFile != null) {
            decisionsFile.close();
            decisionsFile = null;
        }
        if (roundsCsv != null) {
            roundsCsv.close();
            roundsCsv = null;
        }
    }

    /** Asks a running demo to stop after its current round (the shutdown hook calls {@link #close()} next). */
    public void stop() {
        stopRequested = true;
        stopping = true;
    }

    /** True once {@link #stop()} was called (by the shutdown hook). */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Stops the plant, the job and the broker, whatever state the run is in. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        if (kafkaPlant != null) {
            try {
                kafkaPlant.close();
            } catch (RuntimeException e) {
                // another thread may be inside the plant's consumer (Ctrl-C): the broker's shutdown ends it anyway
            }
        }
        if (job != null) {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // already finished or failed: nothing left to stop
            }
            try {
                // Cancelling is asked above; the tasks (and their RocksDB instances) are closed once the job has ended.
                job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // cancelled or failed: ended either way (or still ending after 30 s: its files go with the JVM)
            }
        }
        if (broker != null) {
            try {
                broker.close();
            } catch (Exception e) {
                // a broker that fails to stop cleanly still dies with the JVM; nothing else holds it
            }
        }
        if (scratch != null) {
            // The job has ended (or was cancelled above): its RocksDB instances are closed.
            scratch.close();
        }
        try {
            closeFiles();
        } catch (IOException e) {
            // the files have been flushed after every line
        }
    }
}
