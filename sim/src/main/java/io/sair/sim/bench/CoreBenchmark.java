package io.sair.sim.bench;

import io.sair.core.ControllerState;
import io.sair.core.Round;
import io.sair.core.SairController;
import io.sair.core.cost.CostModel;
import io.sair.core.memory.ContextFeatures;
import io.sair.core.memory.SurprisalRetriever;
import io.sair.core.model.Allocation;
import io.sair.core.model.EpisodeStage;
import io.sair.core.model.Experience;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.llm.Prompt;
import io.sair.core.policy.llm.PromptBuilder;
import io.sair.core.reward.ParetoPoint;
import io.sair.core.explore.ExplorationState;
import io.sair.core.validate.Cooldowns;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;

/**
 * Times the SAIR core without an LLM: one controller round (reward, remember, retrieve k=15, select,
 * validate) with a full memory, and retrieval alone from 1,000 and 10,000 experiences. Prints p50/p99,
 * and the size of the LLM prompt with 15 episodes.
 */
public final class CoreBenchmark {

    private static final int WARMUP = 300;
    private static final int MEASURED = 2000;

    private final PrintStream out;

    public CoreBenchmark(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        new CoreBenchmark(System.out).run();
    }

    private static Experience copy(Experience e) {
        return new Experience(e.id(), e.windowEnd(), e.features().clone(), e.observed(), e.p99Ms(), e.action(), e.reward(),
                e.latencyObjective(), e.costObjective());
    }

    public void run() {
        PipelineSpec spec = spec();
        SplittableRandom rnd = new SplittableRandom(7);
        out.println("SAIR core benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("java.version") + ")");
        for (int size : new int[] {1000, 10_000}) {
            List<Experience> buffer = buffer(spec, size, rnd);
            SurprisalRetriever retriever = SurprisalRetriever.defaults();
            List<double[]> queries = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                queries.add(ContextFeatures.of(context(spec, 30_000L * (i + 1), rnd), spec));
            }
            // Two copies of the buffer, used in turn: the job reads its experiences back from state every round
            // (new objects), so the retriever's pair cache (matched by identity) must not help here either.
            List<List<Experience>> copies = List.of(buffer, buffer.stream().map(CoreBenchmark::copy).toList());
            report("retrieval k=15 from " + size + " experiences",
                    i -> retriever.select(queries.get(i % queries.size()), copies.get(i % 2), 15, i));
        }
        SairController controller = SairController.defaults();
        List<Experience> full = buffer(spec, 1000, rnd);
        List<ParetoPoint> frontier = List.of(new ParetoPoint(0.1, 0.6), new ParetoPoint(0.3, 0.3), new ParetoPoint(0.6, 0.1));
        List<PipelineContext> contexts = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            contexts.add(context(spec, 30_000L * (i + 2), rnd));
        }
        ControllerState base = new ControllerState(full, frontier, new ExplorationState(0.0, 100), null, Cooldowns.none(),
                full.size() + 1, 0);
        ControllerState primed = controller.step(base, contexts.get(0), spec).orElseThrow().state();
        report("controller round (builtin selector, 1000 experiences)", i -> {
            PipelineContext ctx = contexts.get(1 + i % (contexts.size() - 1));
            PipelineContext shifted = new PipelineContext(ctx.pipeline(), primed.lastWindowEnd() + 30_000L * (i + 1),
                    ctx.stages(), ctx.missing(), ctx.p99Ms(), ctx.slaMs(), ctx.arrivalRate(), ctx.billableCostPerHour(),
                    ctx.effectiveCostPerHour(), ctx.maxCostPerHour());
            controller.step(primed, shifted, spec).orElseThrow();
        });
        promptSize(controller, primed, contexts);
    }

    /** The LLM prompt of a round with k=15 episodes from a full memory: its size against the ~4k-token budget. */
    private void promptSize(SairController controller, ControllerState primed, List<PipelineContext> contexts) {
        PipelineSpec spec = spec();
        PipelineContext ctx = contexts.get(contexts.size() - 1);
        PipelineContext next = new PipelineContext(ctx.pipeline(), primed.lastWindowEnd() + 30_000L, ctx.stages(),
                ctx.missing(), ctx.p99Ms(), ctx.slaMs(), ctx.arrivalRate(), ctx.billableCostPerHour(),
                ctx.effectiveCostPerHour(), ctx.maxCostPerHour());
        Round round = controller.begin(primed, next, spec);
        // Without the budget, to report what 15 episodes really take; the job's builder drops episodes beyond it.
        Prompt unbounded = new PromptBuilder(Integer.MAX_VALUE / 8).build(round.policyInput());
        Prompt shown = PromptBuilder.defaults().build(round.policyInput());
        out.printf("%-58s %d tokens (est., %d chars), budget %d: %d of %d episodes shown%n",
                "LLM prompt, 3 stages, k=" + round.episodes().size() + " episodes", unbounded.estimateTokens(),
                unbounded.system().length() + unbounded.user().length(), PromptBuilder.DEFAULT_MAX_TOKENS,
                shown.episodesShown(), round.episodes().size());
    }

    private void report(String what, IntConsumer op) {
        for (int i = 0; i < WARMUP; i++) {
            op.accept(i);
        }
        Histogram h = new Histogram(3);
        for (int i = 0; i < MEASURED; i++) {
            long t0 = System.nanoTime();
            op.accept(i);
            h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
        }
        out.printf("%-58s p50 %8.3f ms   p99 %8.3f ms   (n=%d)%n", what, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, MEASURED);
    }

    static PipelineSpec spec() {
        return new PipelineSpec(null, "bench", List.of(StageSpec.of("preprocess", StageKind.CPU),
                StageSpec.of("inference", StageKind.GPU), StageSpec.of("postprocess", StageKind.CPU)), 200.0, null, null,
                null);
    }

    static PipelineContext context(PipelineSpec spec, long windowEnd, SplittableRandom rnd) {
        List<StageWindow> stages = new ArrayList<>();
        List<Allocation> allocs = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            Allocation a = new Allocation(1 + rnd.nextInt(8), 500 * (1 + rnd.nextInt(8)), 256 * (2 + rnd.nextInt(16)),
                    s.kind() == StageKind.GPU ? (1 + rnd.nextInt(10)) / 10.0 : 1.0);
            allocs.add(a);
            double util = rnd.nextDouble();
            stages.add(new StageWindow(spec.name(), s.name(), s.kind(), windowEnd - 30_000, windowEnd, 6, a,
                    3000, 3000, rnd.nextInt(500), rnd.nextInt(200) - 100, util, rnd.nextDouble(), util, 20, 80,
                    Double.NaN, 0));
        }
        return new PipelineContext(spec.name(), windowEnd, stages, List.of(), 50 + rnd.nextDouble() * 400,
                spec.slaP99Ms(), rnd.nextDouble() * 500, CostModel.billable(spec, allocs), CostModel.effective(spec, allocs),
                CostModel.maxEffective(spec));
    }

    static List<Experience> buffer(PipelineSpec spec, int n, SplittableRandom rnd) {
        List<Experience> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PipelineContext ctx = context(spec, 30_000L * (i + 1), rnd);
            List<StageTarget> action = ctx.stages().stream()
                    .map(w -> StageTarget.of(w.stage(), w.kind(), w.allocation(),
                            w.allocation().withReplicas(Math.max(1, w.allocation().replicas() + rnd.nextInt(3) - 1))))
                    .toList();
            out.add(new Experience(i + 1, ctx.windowEnd(), ContextFeatures.of(ctx, spec),
                    ctx.stages().stream().map(EpisodeStage::of).toList(), ctx.p99Ms(), action, rnd.nextDouble() * 2,
                    rnd.nextDouble(), rnd.nextDouble()));
        }
        return out;
    }
}
