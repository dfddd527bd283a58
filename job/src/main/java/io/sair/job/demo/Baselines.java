package io.sair.job.demo;

import io.sair.sim.bench.Autoscalers;
import io.sair.sim.bench.BenchConfig;
import io.sair.sim.bench.GridBench;
import io.sair.sim.bench.Tuning;
import io.sair.sim.loop.ClosedLoop;
import io.sair.sim.loop.RunResult;
import io.sair.sim.plant.PipelinePlant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the user would otherwise run: every production baseline on the demo's own requests, each at the setting
 * the bench's sweep picks for the app (swept here on a separate seed, the demo's rounds), and the best of them.
 *
 * @param runs one per baseline, in {@link #NAMES} order
 * @param best the one that meets the SLA at the lowest billable cost, or (none meets it) the lowest p99
 * @param sweepSeed the seed the settings were swept on (never the demo's)
 * @param sweepRuns simulator runs the sweep took
 * @param wallSeconds wall time of the sweep and the runs together
 */
public record Baselines(List<BaselineRun> runs, BaselineRun best, long sweepSeed, int sweepRuns, double wallSeconds) {

    /** The production autoscalers of the bench (static allocation is shown on its own, SAIR is the subject). */
    public static final List<String> NAMES = List.of("hpa", "threshold", "kpa", "keda", "ray", "ds2");

    /** Sweeps the tunable baselines on the sweep seed, then runs all of them on the demo's seed. */
    public static Baselines run(DemoConfig cfg) {
        long wall0 = System.nanoTime();
        long sweepSeed = cfg.seed() == BenchConfig.TUNING_SEED ? BenchConfig.TUNING_SEED + 1 : BenchConfig.TUNING_SEED;
        double sla = cfg.app().spec().slaP99Ms();
        // Independent simulator runs: spread over the cores (the bench does the same with its thread pool).
        List<Tuning> candidates = GridBench.candidates(cfg.app().name());
        List<BaselineRun> sweep = candidates.parallelStream().map(t -> run(cfg, t.autoscaler(), t, sweepSeed)).toList();
        Map<String, Map<Tuning, List<RunResult>>> swept = new LinkedHashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            Tuning t = candidates.get(i);
            swept.computeIfAbsent(t.autoscaler(), k -> new LinkedHashMap<>()).put(t, List.of(sweep.get(i).run()));
        }
        int sweepRuns = candidates.size();
        List<BaselineRun> runs = NAMES.parallelStream().map(name -> {
            Map<Tuning, List<RunResult>> byTuning = swept.get(name);
            // DS2 has no knob: it runs as documented.
            Tuning t = byTuning == null ? Tuning.DEFAULT : GridBench.pickBest(byTuning, sla);
            return run(cfg, name, t, cfg.seed());
        }).toList();
        return new Baselines(List.copyOf(runs), best(runs, sla), sweepSeed, sweepRuns, (System.nanoTime() - wall0) / 1e9);
    }

    /** The bench's rule: among those whose p99 meets the SLA the cheapest billable cost; if none does, the lowest p99. */
    static BaselineRun best(List<BaselineRun> runs, double slaMs) {
        List<BaselineRun> met = runs.stream().filter(r -> r.slaMet(slaMs)).toList();
        Comparator<BaselineRun> order = met.isEmpty()
                ? Comparator.comparingDouble(r -> nanLast(r.figures().p99Ms()))
                : Comparator.comparingDouble(r -> nanLast(r.figures().billableCostPer1k()));
        return (met.isEmpty() ? runs : met).stream().min(order).orElseThrow();
    }

    private static double nanLast(double v) {
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }

    /** One baseline on the simulator, the demo's rounds long, its clock from 0 as the in-process loop reads it. */
    static BaselineRun run(DemoConfig cfg, String name, Tuning tuning, long seed) {
        PipelinePlant plant = cfg.plant(seed, 0L);
        RunResult r = new ClosedLoop(DemoRun.WINDOW_MS, cfg.rounds() * DemoRun.WINDOW_MS).run(cfg.app().name(),
                cfg.pattern(), seed, plant, Autoscalers.create(name, cfg.app(), tuning, null, null));
        return new BaselineRun(name, tuning.label(), RunFigures.of(name, plant, r.decisions()), r);
    }

    /** How the settings were chosen, in words, for the summary and the report. */
    public String how() {
        return String.format(Locale.ROOT, "settings swept per baseline as the bench does (%d runs on seed %d, "
                + "the demo's rounds), then each on the demo's requests; %.1f s in all", sweepRuns, sweepSeed, wallSeconds);
    }
}
