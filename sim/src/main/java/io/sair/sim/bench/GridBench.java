package io.sair.sim.bench;

import io.sair.core.policy.llm.LlmClient;
import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.loop.Autoscaler;
import io.sair.sim.loop.ClosedLoop;
import io.sair.sim.loop.RunResult;
import io.sair.sim.oracle.Hindsight;
import io.sair.sim.oracle.OracleAutoscaler;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.workload.RateShape;
import io.sair.sim.workload.Trace;
import io.sair.sim.workload.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The evaluation grid: per app, sweep the tunable baselines (HPA target, Threshold limits, KPA target and
 * panic threshold, KEDA queue target, Ray Serve ongoing-request target) on a
 * tuning seed and keep the best setting ({@link #pickBest}); then run apps x patterns x autoscalers x
 * seeds, and the hindsight oracle ({@link OracleAutoscaler}, each of its settings) on the same requests; write
 * results.csv (with each run's bounds, oracle match, surges and churn: {@link RunExtras}), oracle.csv, cells.csv
 * (means and 95% intervals per cell), summary.md and the charts.
 */
public final class GridBench {

    static final double[] HPA_TARGETS = {0.5, 0.6, 0.7, 0.8};
    /** Threshold sweep: the paper's 100/200 ms, then CPU/GPU limits as fractions of the app's SLA. */
    static final double[][] THRESHOLD_FRACTIONS = {{0.1, 0.2}, {0.2, 0.4}, {0.4, 0.8}};
    /** KPA: target utilisation of each pod's concurrency (Knative: 70%) x panic threshold (Knative: 200%). */
    static final double[] KPA_TARGETS = {0.5, 0.7, 0.9};
    static final double[] KPA_PANICS = {2.0, 1.5};
    /** KEDA: target queue length per replica (the Kafka scaler's lagThreshold defaults to 10). */
    static final double[] KEDA_TARGETS = {2, 5, 10, 20};
    /** Ray Serve: target_ongoing_requests as a multiple of a pod's capacity, beside Ray's default of 2. */
    static final double[] RAY_FACTORS = {0.5, 1.0, 2.0};
    /** The baselines with knobs, swept per app. */
    public static final List<String> TUNED = List.of("hpa", "threshold", "kpa", "keda", "ray");

    private final BenchConfig cfg;
    private final PrintStream progress;
    private final Trace trace;
    private final AtomicInteger done = new AtomicInteger();
    private long simulatedRequests;
    /** Each run's wall time summed, per phase (sweep, frontier) or, in the grid, per autoscaler; by name. */
    private final Map<String, Double> runSeconds = new TreeMap<>();
    private final LlmClient llm;
    private final String llmProvider;

    public GridBench(BenchConfig cfg, PrintStream progress) throws IOException {
        this(cfg, progress, null, null);
    }

    /** @param llm the LLM SAIR asks (null: its built-in selector); @param llmProvider the client's default provider */
    public GridBench(BenchConfig cfg, PrintStream progress, LlmClient llm, String llmProvider) throws IOException {
        this.llm = llm;
        this.llmProvider = llmProvider;
        this.cfg = cfg;
        this.progress = progress;
        this.trace = cfg.trace() == null ? null : Trace.read(cfg.trace());
    }

    /** Runs everything and writes the outputs; returns the evaluation runs. */
    public List<RunResult> run() throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(cfg.out());
        printTrace();
        Map<String, Map<String, Tuning>> tuned = tune();
        List<Job> jobs = new ArrayList<>();
        for (String app : cfg.apps()) {
            for (String pattern : cfg.patterns()) {
                for (String a : cfg.autoscalers()) {
                    for (int seed = 1; seed <= cfg.seeds(); seed++) {
                        jobs.add(new Job(app, pattern, a, seed, cfg.requests(),
                                tuned.getOrDefault(app, Map.of()).getOrDefault(a, Tuning.DEFAULT), true, 0));
                    }
                }
            }
        }
        List<Job> oracleJobs = oracleJobs();
        progress.printf("grid: %d runs of %,d requests, and %d runs of the hindsight oracle on the same requests, on %d "
                + "threads%n", jobs.size(), cfg.requests(), oracleJobs.size(), cfg.threads());
        // One phase, so that each set of requests' hindsight is built once for both and no phase's tail idles a thread.
        List<Job> both = new ArrayList<>(jobs);
        both.addAll(oracleJobs);
        done.set(0);
        List<Outcome> outcomes = runAll(both, "grid");
        List<Outcome> gridOut = outcomes.subList(0, jobs.size());
        List<Outcome> oracleOut = outcomes.subList(jobs.size(), outcomes.size());
        List<RunResult> oracles = results(oracleOut);
        List<String> oracleSettings = oracleJobs.stream().map(Job::label).toList();
        List<RunResult> results = results(gridOut);
        List<RunExtras> extras = matchOracle(gridOut, oracles, oracleSettings);
        List<String> settings = jobs.stream().map(j -> j.tuning.label()).toList();
        List<Job> others = cfg.frontier() ? frontierJobs(tuned) : List.of();
        List<RunResult> frontier = List.of();
        if (!others.isEmpty()) {
            progress.printf("frontier: %d runs of the other settings on the evaluation seeds%n", others.size());
            done.set(0);
            List<Outcome> fo = runAll(others, "frontier");
            frontier = results(fo);
            ResultsCsv.write(cfg.out().resolve("frontier.csv"), frontier,
                    others.stream().map(j -> j.tuning.label()).toList(), matchOracle(fo, oracles, oracleSettings));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        ResultsCsv.write(cfg.out().resolve("results.csv"), results, settings, extras);
        ResultsCsv.write(cfg.out().resolve("oracle.csv"), oracles, oracleSettings,
                matchOracle(oracleOut, oracles, oracleSettings));
        List<RunResult> all = new ArrayList<>(results);
        all.addAll(frontier);
        List<String> allSettings = new ArrayList<>(settings);
        others.forEach(j -> allSettings.add(j.tuning.label()));
        List<Summary.Row> rows = Summary.rows(results, extras, oracles, oracleSettings,
                matchOracle(oracleOut, oracles, oracleSettings));
        Files.writeString(cfg.out().resolve("cells.csv"), CellsCsv.render(rows));
        String summary = Summary.render(results, tuned, cfg, wall, simulatedRequests, all, allSettings, runSeconds)
                + Summary.evaluation(cfg, rows);
        Files.writeString(cfg.out().resolve("summary.md"), summary);
        Charts.grid(results, cfg.out());
        Charts.frontiers(all, allSettings, cfg.apps(), cfg.patterns(), cfg.out());
        progress.printf("bench: %,d simulated requests (sweep included) in %.1f s wall: %.2f M simulated requests/s "
                + "over %d threads%n", simulatedRequests, wall, simulatedRequests / wall / 1e6, cfg.threads());
        progress.println("bench: " + Summary.runSeconds(runSeconds));
        progress.println("bench: wrote " + cfg.out().resolve("results.csv") + ", oracle.csv, cells.csv, summary.md and "
                + "charts");
        return results;
    }

    /** The oracle at each of its settings on every (app, pattern, evaluation seed). */
    List<Job> oracleJobs() {
        List<Job> out = new ArrayList<>();
        for (String app : cfg.apps()) {
            for (String pattern : cfg.patterns()) {
                for (int seed = 1; seed <= cfg.seeds(); seed++) {
                    for (double u : OracleAutoscaler.UTILISATIONS) {
                        out.add(new Job(app, pattern, "oracle", seed, cfg.requests(), Tuning.DEFAULT, true, u));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Each run's extras with its oracle: of the oracle runs on the same requests (app, pattern, seed), the
     * cheapest (billable) whose share within the SLA is at least the run's; none when no setting reached it.
     */
    static List<RunExtras> matchOracle(List<Outcome> runs, List<RunResult> oracles, List<String> oracleSettings) {
        List<RunExtras> out = new ArrayList<>();
        for (Outcome o : runs) {
            RunResult r = o.result();
            double share = 100 - r.slaViolationPct();
            int best = -1;
            for (int i = 0; i < oracles.size(); i++) {
                RunResult q = oracles.get(i);
                if (q.app().equals(r.app()) && q.pattern().equals(r.pattern()) && q.seed() == r.seed()
                        && 100 - q.slaViolationPct() >= share
                        && (best < 0 || q.billableCostPer1k() < oracles.get(best).billableCostPer1k())) {
                    best = i;
                }
            }
            out.add(best < 0 ? o.extras().withOracle(Double.NaN, Double.NaN, "none")
                    : o.extras().withOracle(oracles.get(best).billableCostPer1k(),
                            100 - oracles.get(best).slaViolationPct(), oracleSettings.get(best)));
        }
        return out;
    }

    static List<RunResult> results(List<Outcome> os) {
        return os.stream().map(Outcome::result).toList();
    }

    /** Every swept setting other than the chosen one, on every evaluation seed: the rest of each frontier. */
    List<Job> frontierJobs(Map<String, Map<String, Tuning>> tuned) {
        List<Job> out = new ArrayList<>();
        for (String app : cfg.apps()) {
            for (Tuning t : candidates(app)) {
                String a = t.autoscaler();
                if (!cfg.autoscalers().contains(a) || t.equals(tuned.getOrDefault(app, Map.of()).get(a))) {
                    continue;
                }
                for (String pattern : cfg.patterns()) {
                    for (int seed = 1; seed <= cfg.seeds(); seed++) {
                        out.add(new Job(app, pattern, a, seed, cfg.requests(), t, true, 0));
                    }
                }
            }
        }
        return out;
    }

    private void printTrace() {
        if (trace == null) {
            return;
        }
        for (String app : cfg.apps()) {
            AppProfile p = AppProfiles.get(app);
            progress.printf("trace %s: %d requests over %.0f s (%.2f rps); for %s time-scaled x%.3f%s%n", trace.name(),
                    trace.size(), trace.spanMs() / 1000, trace.meanRate(), app, traceScale(p),
                    p.traceWork() ? ", per-request work from its token columns" : "");
        }
    }

    double traceScale(AppProfile p) {
        return cfg.traceScale() != null ? cfg.traceScale() : Scenarios.autoTraceScale(p, trace);
    }

    /** Per app: the best setting of every tuned baseline ({@link #TUNED}) on the tuning seed. */
    Map<String, Map<String, Tuning>> tune() {
        Map<String, Map<String, Tuning>> out = new LinkedHashMap<>();
        List<Job> jobs = new ArrayList<>();
        for (String app : cfg.apps()) {
            for (Tuning t : candidates(app)) {
                String a = t.autoscaler();
                if (!cfg.autoscalers().contains(a)) {
                    continue;
                }
                for (String pattern : cfg.patterns()) {
                    jobs.add(new Job(app, pattern, a, BenchConfig.TUNING_SEED, cfg.tuneRequests(), t));
                }
            }
        }
        if (jobs.isEmpty()) {
            return out;
        }
        progress.printf("sweep: %d baseline runs of %,d requests on tuning seed %d%n", jobs.size(), cfg.tuneRequests(),
                BenchConfig.TUNING_SEED);
        done.set(0);
        List<RunResult> rs = results(runAll(jobs, "sweep"));
        for (String app : cfg.apps()) {
            double sla = AppProfiles.get(app).spec().slaP99Ms();
            for (String a : TUNED) {
                Map<Tuning, List<RunResult>> byTuning = new LinkedHashMap<>();
                for (int i = 0; i < jobs.size(); i++) {
                    Job j = jobs.get(i);
                    if (j.app.equals(app) && j.autoscaler.equals(a)) {
                        byTuning.computeIfAbsent(j.tuning, k -> new ArrayList<>()).add(rs.get(i));
                    }
                }
                if (!byTuning.isEmpty()) {
                    Tuning best = pickBest(byTuning, sla);
                    out.computeIfAbsent(app, k -> new LinkedHashMap<>()).put(a, best);
                    progress.printf("sweep: %s %s -> %s%n", app, a, best.label());
                }
            }
        }
        return out;
    }

    public static List<Tuning> candidates(String app) {
        double sla = AppProfiles.get(app).spec().slaP99Ms();
        List<Tuning> c = new ArrayList<>();
        for (double t : HPA_TARGETS) {
            c.add(Tuning.hpa(t));
        }
        c.add(Tuning.threshold(100, 200));
        for (double[] f : THRESHOLD_FRACTIONS) {
            c.add(Tuning.threshold(Math.round(f[0] * sla), Math.round(f[1] * sla)));
        }
        for (double panic : KPA_PANICS) {
            for (double t : KPA_TARGETS) {
                c.add(Tuning.kpa(t, panic));
            }
        }
        for (double q : KEDA_TARGETS) {
            c.add(Tuning.keda(q));
        }
        c.add(Tuning.rayDefault());
        for (double f : RAY_FACTORS) {
            c.add(Tuning.ray(f));
        }
        return c;
    }

    /**
     * The selection rule: most patterns with p99 within the SLA; then the lowest mean p99/SLA over the
     * patterns, where settings within 5% of the best count as tied; among ties the lowest mean
     * effective cost per 1k requests.
     */
    public static Tuning pickBest(Map<Tuning, List<RunResult>> byTuning, double sla) {
        record Score(Tuning t, long met, double p99, double cost) {
        }
        List<Score> scores = new ArrayList<>();
        for (Map.Entry<Tuning, List<RunResult>> e : byTuning.entrySet()) {
            long met = e.getValue().stream().filter(r -> r.p99Ms() <= sla).count();
            double p99 = e.getValue().stream().mapToDouble(r -> r.p99Ms() / sla).average().orElse(Double.MAX_VALUE);
            double cost = e.getValue().stream().mapToDouble(RunResult::effectiveCostPer1k).average().orElse(Double.MAX_VALUE);
            scores.add(new Score(e.getKey(), met, p99, cost));
        }
        long mostMet = scores.stream().mapToLong(Score::met).max().orElse(0);
        List<Score> top = scores.stream().filter(s -> s.met == mostMet).toList();
        double bestP99 = top.stream().mapToDouble(Score::p99).min().orElse(0);
        return top.stream().filter(s -> s.p99 <= bestP99 * 1.05).min(Comparator.comparingDouble(Score::cost))
                .orElseThrow().t;
    }

    private List<Outcome> runAll(List<Job> jobs, String phase) {
        ExecutorService pool = Executors.newFixedThreadPool(cfg.threads(), r -> {
            Thread t = new Thread(r, "sair-bench");
            t.setDaemon(true);
            return t;
        });
        try {
            SharedRequests shared = new SharedRequests(jobs, this::workload, this::hindsight);
            List<Future<Outcome>> fs = new ArrayList<>(java.util.Collections.nCopies(jobs.size(), null));
            List<Integer> order = SharedRequests.longestFirst(jobs, GridBench::expectedCost);
            for (int k = 0; k < order.size(); k++) {
                Job j = jobs.get(order.get(k));
                fs.set(order.get(k), pool.submit(() -> {
                    Outcome o = runOne(j, shared);
                    report(phase, jobs.size(), j, o.result());
                    return o;
                }));
                // Right after a set's first run starts, the next set's requests are drawn by the next free thread, so
                // that no thread waits for a set another is drawing (the runs of a set start together).
                Job next = nextSet(jobs, order, k);
                if (next != null) {
                    pool.submit(() -> shared.prepare(next));
                }
            }
            List<Outcome> out = new ArrayList<>();
            for (Future<Outcome> f : fs) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The first job of the next set of requests in {@code order}, when position k is the first of its set. */
    private static Job nextSet(List<Job> jobs, List<Integer> order, int k) {
        Job j = jobs.get(order.get(k));
        if (k > 0 && SharedRequests.same(jobs.get(order.get(k - 1)), j)) {
            return null;
        }
        for (int m = k + 1; m < order.size(); m++) {
            Job n = jobs.get(order.get(m));
            if (!SharedRequests.same(n, j)) {
                return n;
            }
        }
        return null;
    }

    /**
     * A run's cost in relative units, only to order the runs: the plant's work grows with the requests, SAIR's
     * controller with its rounds (one per 30 s of the run's simulated span), which for the slow apps is most of it.
     */
    static double expectedCost(Job j) {
        double spanSeconds = j.requests / AppProfiles.get(j.app).meanRate();
        return j.requests + ("sair".equals(j.autoscaler) ? spanSeconds * 30 : 0);
    }

    Outcome runOne(Job j) {
        return runOne(j, new SharedRequests(List.of(j), this::workload, this::hindsight));
    }

    /** A fresh copy of the job's seeded requests. */
    Workload workload(Job j) {
        AppProfile app = AppProfiles.get(j.app);
        return Scenarios.workload(app, j.pattern, j.requests, j.seed, trace, trace == null ? 1.0 : traceScale(app));
    }

    /** The same seed gives the same requests: a second copy of the workload is the run's future. */
    Hindsight hindsight(Job j, Workload requests) {
        AppProfile app = AppProfiles.get(j.app);
        return Hindsight.of(app.spec(), app.models(), requests);
    }

    private Outcome runOne(Job j, SharedRequests shared) {
        AppProfile app = AppProfiles.get(j.app);
        try {
            PipelinePlant plant = Scenarios.plant(app, shared.requests(j));
            if (!j.measure) {
                Autoscaler a = Autoscalers.create(j.autoscaler, app, j.tuning, llm, llmProvider);
                return new Outcome(ClosedLoop.defaults().run(j.app, j.pattern, j.seed, plant, a), null);
            }
            return measured(app, j, plant, shared.future(j));
        } finally {
            shared.release(j);
        }
    }

    private Outcome measured(AppProfile app, Job j, PipelinePlant plant, Hindsight future) {
        Autoscaler a = j.autoscaler.equals("oracle")
                ? new OracleAutoscaler(app.spec(), app.models(), future, plant, j.oracleUtilisation)
                : Autoscalers.create(j.autoscaler, app, j.tuning, llm, llmProvider);
        CapacityProbe probe = new CapacityProbe(a, plant, app.models(), future);
        RunResult r = ClosedLoop.defaults().run(j.app, j.pattern, j.seed, plant, probe);
        return new Outcome(r, measure(app, j, r, plant, future, probe));
    }

    private RunExtras measure(AppProfile app, Job j, RunResult r, PipelinePlant plant, Hindsight future,
                              CapacityProbe probe) {
        Surges.Outcome s = Surges.Outcome.NONE;
        if (!Scenarios.TRACE.equals(j.pattern)) {
            RateShape shape = Scenarios.shape(app, j.pattern, j.requests, Scenarios.workloadSeed(app.name(), j.pattern,
                    j.seed));
            s = Surges.timeToCapacity(Surges.find(shape, future.lastArrivalMs()), probe.sampleTimesMs(),
                    probe.capacityRps());
        }
        return new RunExtras(future.fluidBoundPer1k(completed(r, plant)), future.withinSlaUpperPct(),
                future.peakLoadRatio(), Double.NaN, Double.NaN, "none", s.surges(), s.meanSecondsToCapacity(),
                s.uncovered(), probe.scalingActions(), probe.replicaChanges());
    }

    /**
     * Requests that completed: every arrival completed, failed or is still inside (a run cut short leaves its
     * requests inside, counted abandoned).
     */
    static long completed(RunResult r, PipelinePlant plant) {
        return r.requests() - r.failed() - plant.inFlight();
    }

    private synchronized void report(String phase, int total, Job j, RunResult r) {
        simulatedRequests += r.requests();
        runSeconds.merge("grid".equals(phase) ? j.autoscaler : phase, r.wallSeconds(), Double::sum);
        int n = done.incrementAndGet();
        progress.printf("[%s %3d/%d] %-7s %-7s %-9s seed %-4d %-12s p99 %10.1f ms  sla-viol %6.2f%%  eff $%.4f/1k  "
                        + "%,d req, %.0f s simulated in %.2f s (%.2f M req/s)%n", phase, n, total, j.app, j.pattern,
                j.autoscaler, j.seed, j.label().equals("default") ? "" : j.label(), r.p99Ms(), r.slaViolationPct(),
                r.effectiveCostPer1k(), r.requests(), r.simSeconds(), r.wallSeconds(),
                r.requests() / r.wallSeconds() / 1e6);
        progress.flush();
    }

    /**
     * @param measure also measure the run's bounds, surges and churn (the evaluation runs; not the sweep)
     * @param oracleUtilisation the oracle's setting (autoscaler "oracle" only)
     */
    record Job(String app, String pattern, String autoscaler, long seed, long requests, Tuning tuning, boolean measure,
               double oracleUtilisation) {

        Job(String app, String pattern, String autoscaler, long seed, long requests, Tuning tuning) {
            this(app, pattern, autoscaler, seed, requests, tuning, false, 0);
        }

        String label() {
            return autoscaler.equals("oracle") ? OracleAutoscaler.label(oracleUtilisation) : tuning.label();
        }
    }

    /** A run and, for the evaluation runs, its extras. */
    record Outcome(RunResult result, RunExtras extras) {
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
