package io.sair.sim.loop;

import io.sair.core.ControllerState;
import io.sair.core.SairController;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.policy.Policy;
import io.sair.core.policy.llm.LlmClient;
import io.sair.core.policy.llm.LlmStep;
import java.util.Optional;

/**
 * SAIR as the Flink job runs it: {@link SairController#step} with the controller's built-in selector
 * (or the given policy), its decisions validated by the controller's own validator. Given an LLM client,
 * rounds go through {@link LlmStep} as in the job (waiting for the answer, as simulated time stands still).
 */
public final class SairAutoscaler implements Autoscaler {

    private final String name;
    private final SairController controller;
    private final PipelineSpec spec;
    private final Policy policy;
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
        this.controller = controller;
        this.spec = spec;
        this.policy = policy == null ? controller.config().builtin() : policy;
        this.state = ControllerState.initial(spec.policy().epsilon());
    }

    public static SairAutoscaler defaults(PipelineSpec spec) {
        return new SairAutoscaler("sair", SairController.defaults(), spec, null);
    }

    @Override
    public String name() {
        return name;
    }

    public ControllerState state() {
        return state;
    }

    @Override
    public Optional<ScalingDecision> decide(PipelineContext ctx) {
        Optional<SairController.Outcome> o = llm == null ? controller.step(state, ctx, spec, policy)
                : LlmStep.of(controller).stepBlocking(state, ctx, spec, llm, llmProvider);
        o.ifPresent(out -> state = out.state());
        return o.map(SairController.Outcome::decision);
    }
}
