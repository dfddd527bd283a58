package io.sair.core.window;

import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Builds a pipeline's context for one window from its stages' windows: stages in spec order, the
 * missing ones named, end-to-end p99 from the last stage (the sum of stage p99s if it has none),
 * arrival rate at the first stage, and the costs of what ran.
 */
public final class ContextAssembler {

    private ContextAssembler() {
    }

    /**
     * The context of one window from all its reports at once, by the same rules as the job's incremental
     * windows ({@link StageAggregator} per stage, then {@link #assemble}): the simulator's loop and the
     * benchmarks build their contexts with it. The caller decides which reports belong to the window;
     * reports of another pipeline or of a stage the spec does not name are left out.
     */
    public static PipelineContext fold(PipelineSpec spec, long windowStart, long windowEnd, List<StageMetrics> windowReports) {
        StageFolds kept = KEPT.get();
        Map<String, StageFold> perStage = new HashMap<>();
        for (StageMetrics m : windowReports) {
            if (spec.name().equals(m.pipeline()) && spec.stage(m.stage()).isPresent()) {
                perStage.computeIfAbsent(m.stage(), kept::fresh).add(m);
            }
        }
        Map<String, StageWindow> byStage = new HashMap<>();
        perStage.forEach((stage, f) -> byStage.put(stage, f.result(windowStart, windowEnd)));
        return assemble(spec, windowEnd, byStage);
    }

    /**
     * Per thread, the folds of the stage names seen, reused from window to window (a fold is used within one call
     * only): a fresh fold grew its sample buffer by doubling and allocated a histogram for every busy window, which
     * was a third of a simulated run's window folding.
     */
    private static final ThreadLocal<StageFolds> KEPT = ThreadLocal.withInitial(StageFolds::new);

    public static PipelineContext assemble(PipelineSpec spec, long windowEnd, Map<String, StageWindow> byStage) {
        List<StageWindow> stages = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<Allocation> allocs = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            StageWindow w = byStage.get(s.name());
            if (w != null && w.allocation().replicas() <= 0) {
                // Only partial reports (say, the GPU agent's) and none that said what runs: not enough to decide on.
                w = null;
            }
            if (w == null) {
                missing.add(s.name());
                allocs.add(s.initial());
            } else {
                w = withinPhysicalBounds(w, s);
                stages.add(w);
                allocs.add(w.allocation());
            }
        }
        double p99 = endToEndP99(stages);
        StageWindow first = byStage.get(spec.stages().get(0).name());
        first = first == null ? null : withinPhysicalBounds(first, spec.stages().get(0));
        // Over the first stage's own window: with no stage complete, a window of 1 s would inflate the rate.
        double arrivalRate = first == null ? 0.0 : first.arrivals() / first.windowSeconds();
        return new PipelineContext(spec.name(), windowEnd, stages, missing, p99, spec.slaP99Ms(), arrivalRate,
                CostModel.billable(spec, allocs), CostModel.effective(spec, allocs), CostModel.maxEffective(spec));
    }

    /**
     * The window as its stage's pods could physically have reported it: at most {@code maxReplicas} at
     * {@link MetricsCheck#MAX_RPS_PER_REPLICA} over the window, utilisations within 0..1. The checks bound
     * each report; this bounds the window however many reports it holds.
     */
    static StageWindow withinPhysicalBounds(StageWindow w, StageSpec s) {
        long cap = (long) Math.ceil(Math.max(1, s.limits().maxReplicas()) * MetricsCheck.MAX_RPS_PER_REPLICA
                * w.windowSeconds());
        if (w.arrivals() <= cap && w.completions() <= cap && share(w.cpuUtil()) == w.cpuUtil()
                && share(w.memUtil()) == w.memUtil() && share(w.gpuUtil()) == w.gpuUtil()) {
            return w;
        }
        return new StageWindow(w.pipeline(), w.stage(), w.kind(), w.windowStart(), w.windowEnd(), w.reports(),
                w.allocation(), Math.min(w.arrivals(), cap), Math.min(w.completions(), cap), w.queueDepth(),
                w.queueGrowth(), share(w.cpuUtil()), share(w.memUtil()), share(w.gpuUtil()), w.p50Ms(), w.p99Ms(),
                w.e2eP99Ms(), w.e2eCount());
    }

    private static double share(double v) {
        return Double.isFinite(v) ? Math.max(0.0, Math.min(1.0, v)) : 0.0;
    }

    static double endToEndP99(List<StageWindow> stages) {
        if (stages.isEmpty()) {
            return 0.0;
        }
        StageWindow last = stages.get(stages.size() - 1);
        if (last.e2eCount() > 0 && Double.isFinite(last.e2eP99Ms())) {
            return last.e2eP99Ms();
        }
        // No end-to-end samples: the sum of stage p99s bounds it from above.
        double sum = stages.stream().mapToDouble(w -> Double.isFinite(w.p99Ms()) ? w.p99Ms() : 0.0).sum();
        // Nothing left the pipeline in a whole window while work waits: it is stalled (crash-looping
        // pods, a saturated stage), not fast. At least the window's length, or a stall reads as 0 ms.
        boolean waiting = stages.stream().anyMatch(w -> w.queueDepth() > 0);
        return waiting ? Math.max(sum, last.windowEnd() - last.windowStart()) : sum;
    }
}
