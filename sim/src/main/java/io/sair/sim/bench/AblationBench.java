package io.sair.sim.bench;

import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.loop.ClosedLoop;
import io.sair.sim.loop.RunResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The paper's ablation (Table 1): SAIR's eight configurations x seeds on one app (image
 * classification by default). Throughput in an open-loop plant equals the offered load unless
 * requests are dropped, so the table also reports goodput (requests per second that met the SLA).
 */
public final class AblationBench {

    public static final String HEADER = "config,app,pattern,seed,requests,throughput_rps,goodput_rps,p99_ms,"
            + "sla_violation_pct,effective_cost_per_1k,decisions";

    private final PrintStream out;

    public AblationBench(PrintStream out) {
        this.out = out;
    }

    public List<RunResult> run(String app, List<String> patterns, int seeds, long requests, int threads, Path dir)
            throws IOException, InterruptedException, java.util.concurrent.ExecutionException {
        AppProfile p = AppProfiles.get(app);
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<RunResult>> fs = new ArrayList<>();
        int total = Autoscalers.ABLATIONS.size() * patterns.size() * seeds;
        int[] done = {0};
        for (String config : Autoscalers.ABLATIONS) {
            for (String pattern : patterns) {
                for (int seed = 1; seed <= seeds; seed++) {
                    final int s = seed;
                    fs.add(pool.submit(() -> {
                        RunResult r = ClosedLoop.defaults().run(app, pattern, s,
                                Scenarios.plant(p, pattern, requests, s, null, 1), Autoscalers.ablation(config, p.spec()));
                        synchronized (done) {
                            done[0]++;
                            out.printf("[ablation %2d/%d] %-15s %-7s seed %d  p99 %8.1f ms  goodput %.2f rps  "
                                            + "%,d req in %.2f s%n", done[0], total, config, pattern, s, r.p99Ms(), goodput(r),
                                    r.requests(), r.wallSeconds());
                        }
                        return r;
                    }));
                }
            }
        }
        List<RunResult> rs = new ArrayList<>();
        for (Future<RunResult> f : fs) {
            rs.add(f.get());
        }
        pool.shutdown();
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (RunResult r : rs) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%.3f,%.3f,%.3f,%.4f,%.6f,%d%n", r.autoscaler(), r.app(),
                    r.pattern(), r.seed(), r.requests(), r.throughputRps(), goodput(r), r.p99Ms(), r.slaViolationPct(),
                    r.effectiveCostPer1k(), r.decisions()));
        }
        Files.writeString(dir.resolve("ablation.csv"), csv.toString(), StandardCharsets.UTF_8);
        String table = table(rs);
        out.print(table);
        Files.writeString(dir.resolve("ablation.md"), table, StandardCharsets.UTF_8);
        List<Double> g = new ArrayList<>();
        List<Double> l = new ArrayList<>();
        for (String c : Autoscalers.ABLATIONS) {
            g.add(mean(rs, c, AblationBench::goodput));
            l.add(mean(rs, c, RunResult::p99Ms));
        }
        Charts.ablation(Autoscalers.ABLATIONS, g, l, dir);
        out.printf("ablation: %d runs in %.1f s wall%n", rs.size(), (System.nanoTime() - t0) / 1e9);
        return rs;
    }

    static double goodput(RunResult r) {
        return r.throughputRps() * (1 - r.slaViolationPct() / 100.0);
    }

    static double mean(List<RunResult> rs, String config, java.util.function.ToDoubleFunction<RunResult> f) {
        return rs.stream().filter(r -> r.autoscaler().equals(config)).mapToDouble(f).average().orElse(Double.NaN);
    }

    public static String table(List<RunResult> rs) {
        StringBuilder sb = new StringBuilder(
                "| Config | Tput (rps) | Goodput (rps) | P99 (ms) | SLA viol. % | Eff. cost /1k | dGoodput % | dP99 % |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
        double g0 = mean(rs, "full", AblationBench::goodput);
        double l0 = mean(rs, "full", RunResult::p99Ms);
        for (String c : Autoscalers.ABLATIONS) {
            double g = mean(rs, c, AblationBench::goodput);
            double l = mean(rs, c, RunResult::p99Ms);
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.0f | %.2f | %.4f | %s | %s |%n", c,
                    mean(rs, c, RunResult::throughputRps), g, l, mean(rs, c, RunResult::slaViolationPct),
                    mean(rs, c, RunResult::effectiveCostPer1k), c.equals("full") ? "-" : String.format(Locale.ROOT, "%+.1f",
                            100 * (g - g0) / g0), c.equals("full") ? "-" : String.format(Locale.ROOT, "%+.1f",
                            100 * (l - l0) / l0)));
        }
        return sb.toString();
    }
}
