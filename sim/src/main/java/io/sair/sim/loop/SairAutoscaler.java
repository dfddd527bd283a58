package io.sair.sim.loop;

import io.sair.core.ControllerState;
import io.sair.core.SairController;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.policy.Policy;
import java.util.Optional;

/**
 * SAIR as the Flink job runs it: {@link SairController#step} with the controller's built-in selector
 * (or the given policy), its decisions validated by the controller's own validator.
 */
public final class SairAutoscaler implements Autoscaler {

    private final String name;
    private final SairController controller;
    private final PipelineSpec spec;
    private final Policy policy;
    private ControllerState state;

    public SairAutoscaler(String name, SairController controller, PipelineSpec spec, Policy policy) {
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
        Optional<SairController.Outcome> o = controller.step(state, ctx, spec, policy);
        o.ifPresent(out -> state = out.state());
        return o.map(SairController.Outcome::decision);
    }
}
