package io.sair.sim.bench;

import io.sair.core.bottleneck.BottleneckDetector;
import io.sair.core.model.Allocation;
import io.sair.core.model.Bottleneck;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.PlantOptions;
import io.sair.sim.plant.StageModel;
import io.sair.sim.window.WindowAggregator;
import io.sair.sim.workload.PoissonWorkload;
import io.sair.sim.workload.RateShape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Scores {@link BottleneckDetector} on generated scenarios with known ground truth: for each
 * scenario an app and a class (preprocessing, inference, postprocessing, multiple) are chosen; the
 * chosen stage(s) get an allocation whose capacity is 15-60% below the load they are offered, every
 * other stage one that runs it at 30-80% utilisation. The plant runs with that fixed allocation for
 * five minutes and the detector judges the last 30 s window.
 */
public final class BottleneckBench {

    public static final List<Bottleneck> CLASSES = List.of(Bottleneck.PREPROCESSING, Bottleneck.INFERENCE,
            Bottleneck.POSTPROCESSING, Bottleneck.MULTIPLE);
    static final long RUN_MS = 300_000;

    private final PrintStream out;
    private final BottleneckDetector detector;

    public BottleneckBench(PrintStream out, BottleneckDetector detector) {
        this.out = out;
        this.detector = detector;
    }

    /** A scenario and the detector's answer. */
    public record Case(int scenario, String app, Bottleneck truth, Bottleneck predicted, String detail) {
    }

    public List<Case> run(int scenarios, Path dir) throws IOException {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < scenarios; i++) {
            cases.add(scenario(i));
        }
        if (dir != null) {
            Files.createDirectories(dir);
            StringBuilder sb = new StringBuilder("scenario,truth,predicted\n");
            for (Case c : cases) {
                sb.append(c.scenario).append(',').append(c.truth.wire()).append(',').append(c.predicted.wire()).append('\n');
            }
            Files.writeString(dir.resolve("bottleneck.csv"), sb.toString(), StandardCharsets.UTF_8);
        }
        out.print(report(cases));
        return cases;
    }

    Case scenario(int i) {
        SplittableRandom rng = new SplittableRandom(0xB0771E0L + i);
        Bottleneck truth = CLASSES.get(i % CLASSES.size());
        AppProfile app = AppProfiles.get(AppProfiles.NAMES.get((i / CLASSES.size()) % AppProfiles.NAMES.size()));
        PipelineSpec base = app.spec();
        int n = base.stages().size();
        boolean[] sat = new boolean[n];
        switch (truth) {
            case PREPROCESSING -> sat[0] = true;
            case INFERENCE -> sat[gpuIndex(base)] = true;
            case POSTPROCESSING -> sat[n - 1] = true;
            default -> {
                int pick = rng.nextInt(4);
                sat[0] = pick != 1;
                sat[1] = pick != 2;
                sat[n - 1] = pick != 0;
            }
        }
        double lambda = 0;
        List<StageSpec> stages = new ArrayList<>();
        StringBuilder detail = new StringBuilder();
        // Draw until every stage's allocation realises its intent (saturated: capacity at least 10% under the
        // load it is offered; not saturated: at most 90% utilised even without batching).
        for (int attempt = 0; attempt < 50; attempt++) {
            lambda = app.meanRate() * (0.6 + 0.6 * rng.nextDouble());
            stages.clear();
            detail.setLength(0);
            double offered = lambda;
            boolean ok = true;
            for (int s = 0; s < n; s++) {
                StageSpec ss = base.stages().get(s);
                StageModel m = app.models().get(s);
                double target = sat[s] ? offered / (1.15 + 0.45 * rng.nextDouble())
                        : offered / (0.3 + 0.5 * rng.nextDouble());
                Allocation a = allocationFor(ss, m, app, target, sat[s]);
                double cap = capacity(ss, m, app, a, sat[s]);
                ok &= sat[s] ? cap <= offered / 1.1 : cap >= offered / 0.9;
                detail.append(String.format(Locale.ROOT, "%s:%s r%d c%d rate%.1f cap%.1f/%.1f ", ss.name(),
                        sat[s] ? "SAT" : "ok", a.replicas(), a.cpuMillis(), a.rate(), cap, offered));
                stages.add(new StageSpec(ss.name(), ss.kind(), ss.kubernetes(), wide(ss.limits()), ss.gpus(), a));
                if (sat[s]) {
                    offered = Math.min(offered, cap);
                }
            }
            if (ok) {
                break;
            }
        }
        PipelineSpec spec = new PipelineSpec(null, base.name(), stages, base.slaP99Ms(), base.prices(), base.policy(),
                base.mode());
        long requests = (long) (lambda * (RUN_MS / 1000.0) * 1.2) + 10;
        PipelinePlant plant = new PipelinePlant(spec, app.models(),
                new PoissonWorkload(RateShape.constant(lambda), app.u(), app.g(), requests, rng.nextLong()),
                PlantOptions.defaults());
        plant.advance(RUN_MS - 30_000);
        List<StageMetrics> last = plant.advance(RUN_MS);
        PipelineContext ctx = WindowAggregator.context(spec, RUN_MS - 30_000, RUN_MS, last);
        return new Case(i, app.name(), truth, detector.detect(ctx, spec), detail.toString().trim());
    }

    private static StageLimits wide(StageLimits l) {
        return l.withReplicas(1, 64).withCpu(10, 64_000);
    }

    static int gpuIndex(PipelineSpec spec) {
        for (int i = 0; i < spec.stages().size(); i++) {
            if (spec.stages().get(i).kind() == StageKind.GPU) {
                return i;
            }
        }
        return 1;
    }

    /**
     * Requests per second a stage can serve at an allocation, from the mean work of a request. For a
     * saturated GPU stage batches are full, so its capacity is the full-batch one; otherwise batches
     * of one (a lower bound, which keeps "not saturated" safe).
     */
    static double capacity(StageSpec ss, StageModel m, AppProfile app, Allocation a, boolean fullBatch) {
        double u = app.u().mean();
        double g = app.g().mean();
        int b = fullBatch ? m.maxBatch() : 1;
        double gMax = g * (1 + 0.6 * Math.log(b));
        double raw = m.batchMs() + b * (m.itemMs() + m.uMs() * u + m.gMs() * g)
                + m.stepMs() * gMax * (1 + m.stepGrowth() * (b - 1));
        double perServer;
        if (ss.kind() == StageKind.GPU) {
            perServer = b * 1000.0 / (raw / a.rate());
        } else {
            perServer = 1000.0 / (raw * m.cpuFactor(a.cpuMillis() / (double) m.slots()));
        }
        return a.replicas() * m.slots() * perServer;
    }

    /** The allocation whose capacity is closest to the target (CPU: replicas x cpu; GPU: replicas x rate). */
    static Allocation allocationFor(StageSpec ss, StageModel m, AppProfile app, double target, boolean saturated) {
        Allocation init = ss.initial();
        Allocation best = init;
        double bestErr = Double.MAX_VALUE;
        for (int r = 1; r <= 32; r++) {
            if (ss.kind() == StageKind.GPU) {
                for (int k = 1; k <= 10; k++) {
                    Allocation a = new Allocation(r, init.cpuMillis(), init.memoryMb(), k / 10.0);
                    double err = Math.abs(Math.log(capacity(ss, m, app, a, saturated) / target));
                    if (err < bestErr) {
                        bestErr = err;
                        best = a;
                    }
                }
            } else {
                for (int c = 10; c <= 16_000; c += c < 250 ? 10 : 250) {
                    Allocation a = new Allocation(r, c, Math.max(init.memoryMb(), 1024), 1.0);
                    double err = Math.abs(Math.log(capacity(ss, m, app, a, saturated) / target));
                    if (err < bestErr) {
                        bestErr = err;
                        best = a;
                    }
                }
            }
        }
        return best;
    }

    public static String report(List<Case> cases) {
        List<Bottleneck> cols = List.of(Bottleneck.PREPROCESSING, Bottleneck.INFERENCE, Bottleneck.POSTPROCESSING,
                Bottleneck.MULTIPLE, Bottleneck.NONE);
        int[][] m = new int[cols.size()][cols.size()];
        int correct = 0;
        for (Case c : cases) {
            m[cols.indexOf(c.truth)][cols.indexOf(c.predicted)]++;
            if (c.truth == c.predicted) {
                correct++;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Bottleneck detection: %d/%d correct, accuracy %.1f%% (paper: 86%%)%n%n",
                correct, cases.size(), 100.0 * correct / Math.max(1, cases.size())));
        sb.append(String.format("%-16s", "truth \\ predicted"));
        for (Bottleneck b : cols) {
            sb.append(String.format("%15s", b.wire()));
        }
        sb.append('\n');
        for (int i = 0; i < CLASSES.size(); i++) {
            sb.append(String.format("%-16s", cols.get(i).wire()));
            for (int j = 0; j < cols.size(); j++) {
                sb.append(String.format("%15d", m[i][j]));
            }
            sb.append('\n');
        }
        sb.append(String.format("%n%-16s %9s %9s %9s%n", "class", "precision", "recall", "F1"));
        for (int i = 0; i < CLASSES.size(); i++) {
            int tp = m[i][i];
            int fp = 0;
            int fn = 0;
            for (int k = 0; k < cols.size(); k++) {
                if (k != i) {
                    fp += m[k][i];
                    fn += m[i][k];
                }
            }
            double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
            double r = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
            double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
            sb.append(String.format(Locale.ROOT, "%-16s %8.1f%% %8.1f%% %8.1f%%%n", cols.get(i).wire(), p * 100, r * 100,
                    f * 100));
        }
        return sb.toString();
    }
}
