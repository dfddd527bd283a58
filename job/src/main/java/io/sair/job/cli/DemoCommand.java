package io.sair.job.cli;

import io.sair.connectors.llm.LlmProvider;
import io.sair.connectors.llm.LlmSettings;
import io.sair.job.LlmWiring;
import io.sair.job.demo.BaselineRun;
import io.sair.job.demo.Baselines;
import io.sair.job.demo.DemoConfig;
import io.sair.job.demo.DemoResult;
import io.sair.job.demo.DemoRun;
import io.sair.job.demo.RunFigures;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sair demo}: SAIR end to end on this machine: an embedded Kafka broker, the Flink job on a
 * local MiniCluster with RocksDB, and the simulator as the pipeline it scales; then the same workload
 * under static allocation, a summary and report.html.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run SAIR end to end on this machine: embedded Kafka, the Flink job on a local MiniCluster "
                + "(RocksDB), the pipeline simulator as the plant; compare with static allocation; write report.html, "
                + "decisions.jsonl and rounds.csv.",
            "LLM: set SAIR_LLM_* to use one; without them the built-in selector decides."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--app", defaultValue = "image", paramLabel = "APP",
            description = "Application: image, nlp, textgen, video (default: ${DEFAULT-VALUE}); APP-inplace: its CPU stages "
                    + "resized in place (kubernetes.inPlaceResize), APP-shared: its GPUs billed by share.")
    String app;

    @Option(names = "--pattern", paramLabel = "PATTERN",
            description = "Workload: poisson, ramp, burst, flash, regime, diurnal, trace (default: burst, or trace with --trace).")
    String pattern;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "Replay a CSV trace (TIMESTAMP[,ContextTokens,GeneratedTokens]), scaled to the app's mean rate.")
    Path trace;

    @Option(names = "--rounds", defaultValue = "40", paramLabel = "N",
            description = "Decision rounds of 30 s simulated time (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--speedup", defaultValue = "0", paramLabel = "X",
            description = "Simulated seconds per wall second; 0 runs as fast as the job decides (default: ${DEFAULT-VALUE}).")
    double speedup;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: a new demo-out-<time>).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--kafka-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the embedded broker on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this Kafka instead of the embedded broker (topics sair-demo-<id>.*).")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out
                : Path.of("demo-out-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        DemoConfig cfg = DemoConfig.of(app, pattern, trace, rounds, speedup, dir, bootstrap, kafkaPort, seed);
        PrintStream o = System.out;
        quietLogs(dir);
        o.printf("SAIR demo: %s, %s workload, %d rounds; selector: %s%n", cfg.app().title(), cfg.pattern(), cfg.rounds(),
                selectorNote(System.getenv()));
        DemoRun run = new DemoRun(cfg, o, System.console() != null);
        Thread hook = new Thread(() -> {
            run.stop();
            run.close();
            System.err.println("\nsair demo: stopped; broker, job and simulator shut down (partial outputs in " + dir + ")");
        }, "sair-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        DemoResult r;
        try {
            r = run.run();
        } catch (Exception e) {
            if (run.stopRequested()) {
                // Ctrl-C: the shutdown hook is stopping everything and says so. Returning would reach
                // System.exit, and a non-zero exit during shutdown halts the JVM before the hook is done.
                waitForTheJvmToExit();
            }
            run.close();
            removeHook(hook);
            throw e;
        }
        run.close();
        removeHook(hook);
        printSummary(o, r);
        return 0;
    }

    /**
     * Framework logs go to DIR/demo.log so the terminal shows the progress line; only applies when
     * log4j has not been set up yet (a test JVM keeps its own configuration).
     */
    static void quietLogs(Path dir) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("sair.demo.log", dir.resolve("demo.log").toAbsolutePath().toString());
            System.setProperty("log4j2.configurationFile", "log4j2-demo.xml");
        }
    }

    /**
     * Who decides the rounds, read as the job reads it ({@link LlmWiring}, from the same SAIR_LLM_* variables:
     * the job runs in this JVM). The endpoint is shown without its path or any user info in it.
     */
    static String selectorNote(Map<String, String> env) {
        LlmSettings llm = LlmWiring.settings(new Configuration(), env);
        if (llm.configured()) {
            LlmProvider p = llm.provider();
            return "LLM (" + p.wire() + ", model " + llm.modelFor(p) + " at " + endpoint(llm.baseUrlFor(p)) + ", deadline "
                    + llm.timeout().toMillis() + " ms) on rounds that are not probes; the built-in selector when a call fails";
        }
        String provider = env.get(LlmSettings.ENV_PROVIDER);
        if (provider != null && !provider.isBlank()) {
            return "built-in (" + LlmSettings.ENV_PROVIDER + "=none)";
        }
        boolean any = env.keySet().stream().anyMatch(k -> k.startsWith("SAIR_LLM_"));
        return any ? "built-in (SAIR_LLM_* is set, but not " + LlmSettings.ENV_PROVIDER + ")" : "built-in (no SAIR_LLM_* set)";
    }

    private static String endpoint(String baseUrl) {
        try {
            URI u = URI.create(baseUrl);
            return u.getHost() == null ? "(unparsable base URL)"
                    : u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return "(unparsable base URL)";
        }
    }

    private static void waitForTheJvmToExit() throws InterruptedException {
        while (true) {
            Thread.sleep(60_000);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running
        }
    }

    static void printSummary(PrintStream o, DemoResult r) {
        double sla = r.config().app().spec().slaP99Ms();
        o.printf(Locale.ROOT, "%nSAIR next to static allocation and the best baseline (%s, %s, %d rounds = %.0f simulated "
                        + "minutes, SLA p99 %.0f ms):%n", r.config().app().spec().name(), r.config().pattern(),
                r.config().rounds(), r.config().rounds() * 0.5, sla);
        o.printf(Locale.ROOT, "  %-9s %12s %11s %10s %13s %13s %9s%n", "", "p99", "within SLA", "cost/h", "billable/1k",
                "effective/1k", "decisions");
        BaselineRun best = r.baselines().best();
        for (RunFigures f : new RunFigures[] {r.sair(), best.figures(), r.staticAllocation()}) {
            o.printf(Locale.ROOT, "  %-9s %9.0f ms %9.2f %% %10s %13s %13s %9d%n", f.name(), f.p99Ms(), f.withinSlaPct(),
                    String.format(Locale.ROOT, "$%.3f", f.meanCostPerHour()),
                    String.format(Locale.ROOT, "$%.4f", f.billableCostPer1k()),
                    String.format(Locale.ROOT, "$%.4f", f.costPer1k()), f.decisions());
        }
        o.printf(Locale.ROOT, "Best baseline: %s (%s), of %s on the same requests: %s.%n", best.name(), best.setting(),
                String.join(", ", Baselines.NAMES), best.slaMet(sla) ? "meets the SLA at the lowest billable cost"
                        : "none meets the SLA; lowest p99");
        o.printf(Locale.ROOT, "Baseline %s.%n", r.baselines().how());
        o.printf(Locale.ROOT, "%d round decisions and %d fast-path (surge) decisions (%d applied after their report "
                        + "period) in %.0f s wall.%n", r.rounds().size(), r.surges().size(),
                r.surges().stream().filter(s -> s.lateSeconds() > 0).count(), r.wallSeconds());
        o.println("Report:    " + r.report().toAbsolutePath());
        o.println("Decisions: " + r.config().out().resolve("decisions.jsonl") + ", rounds: "
                + r.config().out().resolve("rounds.csv"));
        if (r.savepoint() != null) {
            o.println("Learned state (savepoint): " + r.savepoint());
        }
    }
}
