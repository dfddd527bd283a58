package io.sair.job.cli;

import io.sair.connectors.llm.LangchainLlmClient;
import io.sair.connectors.llm.LlmSettings;
import io.sair.core.bottleneck.BottleneckDetector;
import io.sair.job.bench.FleetBench;
import io.sair.job.bench.IngestBench;
import io.sair.job.report.BenchReport;
import io.sair.sim.bench.AblationBench;
import io.sair.sim.bench.BenchConfig;
import io.sair.sim.bench.BottleneckBench;
import io.sair.sim.bench.CoreBenchmark;
import io.sair.sim.bench.GridBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sair bench}: the evaluation grid on the simulator (default), the bottleneck-detection
 * scenarios, the ablation, or the core timing benchmark.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the evaluation on the pipeline simulator and write results.csv, summary.md and charts.",
            "Default: apps x patterns x autoscalers x seeds, baselines swept per app first."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--core", description = "Time the SAIR core alone: controller round and retrieval (no LLM).")
    boolean core;

    @Option(names = "--ingest", description = "Ingest throughput: a plain Kafka consume-and-parse loop next to the "
            + "whole job on a MiniCluster, on an embedded broker (--records, --pipelines).")
    boolean ingest;

    @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT", description = "What --ingest puts on the "
            + "metrics topic and the job reads (sair.metrics.format): json, otlp_proto or otlp_json, the OTLP ones as "
            + "the Collector's kafkaexporter writes them (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--fleet", description = "A fleet at the real cadence (one report per stage per 5 s): as fast as the "
            + "job takes it (--windows of backlog) and in real time (--seconds), with decision lateness, checkpoints, "
            + "heap and RocksDB size (--pipelines, default for --fleet: 10000).")
    boolean fleet;

    @Option(names = "--windows", defaultValue = "10", description = "Windows of backlog for --fleet (default: ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--seconds", defaultValue = "180", description = "Real-time run of --fleet, s (default: ${DEFAULT-VALUE}).")
    int seconds;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--records", defaultValue = "1000000", description = "Records for --ingest (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--pipelines", defaultValue = "20", description = "Pipelines for --ingest (default: ${DEFAULT-VALUE}).")
    int pipelines;

    @Option(names = "--bottleneck", description = "Score the bottleneck detector on generated scenarios with known "
            + "ground truth; writes bottleneck.csv.")
    boolean bottleneck;

    @Option(names = "--scenarios", defaultValue = "200", description = "Scenarios for --bottleneck (default: ${DEFAULT-VALUE}).")
    int scenarios;

    @Option(names = "--ablation", description = "Run SAIR's eight ablation configurations on image classification; "
            + "writes ablation.csv.")
    boolean ablation;

    @Option(names = "--apps", split = ",", paramLabel = "APP",
            description = "Apps: image, nlp, textgen, video (default: all; --ablation: image); APP-shared: the same app "
                    + "on the same requests with its GPUs billed by share (prices.gpuShared), e.g. image-shared; APP-inplace: its "
                    + "CPU stages resized in place (kubernetes.inPlaceResize), e.g. image-inplace.")
    List<String> apps;

    @Option(names = "--patterns", split = ",", paramLabel = "PATTERN",
            description = "Workload patterns: poisson, ramp, burst, flash, regime, diurnal, trace (default: all but trace; --ablation: burst).")
    List<String> patterns;

    @Option(names = "--autoscalers", split = ",", paramLabel = "NAME",
            description = "Autoscalers: static, hpa, vpa, threshold, kpa, keda, ray, ds2, sair (default: all).")
    List<String> autoscalers;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds 1..N per setting (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--requests", defaultValue = "1000000", description = "Requests per run (default: ${DEFAULT-VALUE}).")
    long requests;

    @Option(names = "--tune-requests", defaultValue = "200000",
            description = "Requests per run of the baseline sweep (default: ${DEFAULT-VALUE}).")
    long tuneRequests;

    @Option(names = "--trace", paramLabel = "FILE", description = "Replay a CSV trace (TIMESTAMP[,ContextTokens,"
            + "GeneratedTokens]) as an extra pattern 'trace'.")
    Path trace;

    @Option(names = "--trace-scale", paramLabel = "X", description = "Arrival-rate factor for the trace "
            + "(default: scaled to each app's mean rate; printed).")
    Double traceScale;

    @Option(names = "--threads", defaultValue = "2", description = "Runs in parallel (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--frontier", description = "Also run every swept baseline setting on the evaluation seeds "
            + "(frontier.csv), so summary.md's verdict compares SAIR with each baseline's whole frontier.")
    boolean frontier;

    @Option(names = "--out", defaultValue = "bench-out", paramLabel = "DIR",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (core) {
            new CoreBenchmark(System.out).run();
            return 0;
        }
        if (fleet) {
            int n = spec.commandLine().getParseResult().hasMatchedOption("--pipelines") ? pipelines : 10_000;
            if (n < 1 || windows < 1 || seconds < 90) {
                throw new IllegalArgumentException("--pipelines and --windows must be positive, --seconds at least 90");
            }
            new FleetBench(n, windows, java.time.Duration.ofSeconds(seconds), threads, System.out).run();
            return 0;
        }
        if (ingest) {
            if (records < 1 || pipelines < 1) {
                throw new IllegalArgumentException("--records and --pipelines must be positive");
            }
            if (!List.of("json", "otlp_proto", "otlp_json").contains(format)) {
                throw new IllegalArgumentException("--format must be json, otlp_proto or otlp_json, not '" + format + "'");
            }
            new IngestBench(records, pipelines, threads, format, System.out).run();
            return 0;
        }
        if (trace != null && !Files.isReadable(trace)) {
            throw new IllegalArgumentException("--trace: cannot read " + trace);
        }
        if (bottleneck) {
            if (scenarios < 1) {
                throw new IllegalArgumentException("--scenarios must be positive");
            }
            new BottleneckBench(System.out, BottleneckDetector.defaults()).run(scenarios, out);
            System.out.println("wrote " + out.resolve("bottleneck.csv") + " and " + BenchReport.write(out));
            return 0;
        }
        if (ablation) {
            BenchConfig c = new BenchConfig(apps == null ? List.of("image") : apps,
                    patterns == null ? List.of("burst") : patterns, null, seeds, requests, null, null, out, threads,
                    tuneRequests);
            for (String app : c.apps()) {
                new AblationBench(System.err).run(app, c.patterns(), c.seeds(), c.requests(), c.threads(),
                        c.apps().size() == 1 ? out : out.resolve(app));
            }
            System.out.println("wrote " + out.resolve("ablation.csv") + " and " + BenchReport.write(out));
            return 0;
        }
        BenchConfig c = config();
        // The SAIR_LLM_* variables switch SAIR to the LLM here as in the job; unset: the built-in selector.
        LlmSettings llm = LlmSettings.fromEnvironment(System.getenv());
        if (!llm.configured()) {
            new GridBench(c, System.err).run();
        } else {
            System.err.println("sair: SAIR asks the LLM (" + llm.provider().wire() + ", model "
                    + llm.modelFor(llm.provider()) + ", deadline " + llm.timeout().toMillis() + " ms) every round "
                    + "that is not a probe; unset " + LlmSettings.ENV_PROVIDER + " for the built-in selector");
            try (LangchainLlmClient client = new LangchainLlmClient(llm, System.getenv())) {
                new GridBench(c, System.err, client, llm.provider().wire()).run();
            }
        }
        System.out.print(Files.readString(c.out().resolve("summary.md")));
        System.out.println("Report: " + BenchReport.write(c.out()).toAbsolutePath());
        return 0;
    }

    /** The grid's configuration from the options; throws IllegalArgumentException with one clear line. */
    BenchConfig config() {
        return new BenchConfig(apps, patterns, autoscalers, seeds, requests, trace, traceScale, out, threads, tuneRequests,
                frontier);
    }
}
