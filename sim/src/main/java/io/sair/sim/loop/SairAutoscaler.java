package io.sair.sim.loop;

import io.sair.core.ControllerState;
import io.sair.core.SairController;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.policy.Policy;
import io.sair.core.policy.llm.LlmClient;
import io.sair.core.surge.ArrivalTrend;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SAIR as the Flink job runs it: the same {@link SairController#decide} routes every round, and the
 * decisions are validated by the controller's own validator. Only the wait differs: an LLM round waits
 * for the answer on this thread ({@link SairController#stepBlocking}), as simulated time stands still.
 */
public final class SairAutoscaler implements Autoscaler {

    /** The plant's report period (the job's reports come every 5 s too). */
    static final long REPORT_MS = 5_000;

    private final String name;
    private final SairController controller;
    private final PipelineSpec spec;
    private final LlmClient llm;
    private final String llmProvider;
    private ControllerState state;

    public SairAutoscaler(String name, SairController controller, PipelineSpec spec, Policy policy) {
        this(name, controller, spec, policy, null, null);
    }

    /** @param llm the LLM client (null: built-in selector); @param llmProvider its default provider */
    public SairAutoscaler(String name, SairController controller, PipelineSpec spec, Policy policy, LlmClient llm,
                          String llmProvider) {
        this.llm = llm;
        this.llmProvider = llmProvider;
        this.name = name;
        // A given policy stands in for the built-in selector (and so for the fallback too).
        this.controller = policy == null ? controller : new SairController(controller.config().withBuiltin(policy));
        this.spec = spec;
        this.state = ControllerState.initial(spec.policy().epsilon());
    }

    public static SairAutoscaler defaults(PipelineSpec spec) {
        return new SairAutoscaler("sair", SairController.defaults(), spec, null);
    }

    @Override
    public String name() {
        return name;
    }

    /** The pipeline's last report periods, for the fast path's projection ({@link ArrivalTrend}). */
    private ArrivalTrend trend = ArrivalTrend.none();

    public ControllerState state() {
        return state;
    }

    /** The plant's report period, when the controller has a fast path. */
    @Override
    public long surgeIntervalMs() {
        return controller.config().surge() == null ? 0 : REPORT_MS;
    }

    @Override
    public Optional<ScalingDecision> surge(Supplier<PipelineContext> shortWindow) {
        PipelineContext w = shortWindow.get();
        trend = trend.observe(w);
        Optional<SairController.Outcome> o = controller.surge(state, w, spec, controller.growth(trend));
        o.ifPresent(out -> state = out.state());
        return o.map(SairController.Outcome::decision);
    }

    @Override
    public Optional<ScalingDecision> decide(PipelineContext ctx) {
        Optional<SairController.Outcome> o = controller.stepBlocking(state, ctx, spec, llm, llmProvider);
        o.ifPresent(out -> state = out.state());
        return o.map(SairController.Outcome::decision);
    }
}
