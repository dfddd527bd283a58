package io.sair.sim.loop;

import io.sair.core.bottleneck.BottleneckDetector;
import io.sair.core.memory.ContextFeatures;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import io.sair.core.validate.ActionValidator;
import io.sair.core.validate.Cooldowns;
import io.sair.core.validate.Validated;
import io.sair.core.validate.ValidationRules;
import java.util.List;
import java.util.Optional;

/**
 * A baseline autoscaler (any {@link Policy}) in the loop: it sees the same window context as SAIR, no
 * episodes, and its proposals pass a bounds-only validator ({@link ValidationRules#boundsOnly()}), so
 * it keeps its own pacing.
 */
public final class PolicyAutoscaler implements Autoscaler {

    private final String name;
    private final Policy policy;
    private final PipelineSpec spec;
    private final ActionValidator validator;
    private final BottleneckDetector detector = BottleneckDetector.defaults();
    private final long decisionIntervalMs;
    private Cooldowns cooldowns = Cooldowns.none();
    private long lastWindowEnd = Long.MIN_VALUE;

    public PolicyAutoscaler(String name, Policy policy, PipelineSpec spec, ValidationRules rules) {
        this(name, policy, spec, rules, 0);
    }

    /** @param decisionIntervalMs how often the policy decides (0: at the loop's window) */
    public PolicyAutoscaler(String name, Policy policy, PipelineSpec spec, ValidationRules rules, long decisionIntervalMs) {
        this.name = name;
        this.policy = policy;
        this.spec = spec;
        this.validator = new ActionValidator(rules);
        this.decisionIntervalMs = decisionIntervalMs;
    }

    public static PolicyAutoscaler baseline(String name, Policy policy, PipelineSpec spec) {
        return baseline(name, policy, spec, 0);
    }

    public static PolicyAutoscaler baseline(String name, Policy policy, PipelineSpec spec, long decisionIntervalMs) {
        return new PolicyAutoscaler(name, policy, spec, ValidationRules.boundsOnly(), decisionIntervalMs);
    }

    @Override
    public long decisionIntervalMs() {
        return decisionIntervalMs;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<ScalingDecision> decide(PipelineContext ctx) {
        if (ctx.windowEnd() <= lastWindowEnd || !ctx.complete()) {
            return Optional.empty();
        }
        lastWindowEnd = ctx.windowEnd();
        PolicyInput in = new PolicyInput(ctx, spec, List.of(), ContextFeatures.of(ctx, spec), detector.detect(ctx, spec),
                detector.saturated(ctx, spec), ctx.windowEnd());
        Proposal p = policy.propose(in);
        Validated v = validator.validate(p.action(), ctx, spec, cooldowns, ctx.windowEnd());
        cooldowns = v.cooldowns();
        return Optional.of(new ScalingDecision(ScalingDecision.VERSION, ScalingDecision.idFor(ctx.pipeline(), ctx.windowEnd()),
                ctx.pipeline(), ctx.windowEnd(), spec.mode(), Selector.BASELINE, v.targets(), v.adjustments(), in.bottleneck(),
                p.rationale(), null, null, ctx.p99Ms(), ctx.slaMs(), ctx.effectiveCostPerHour(), 0.0, 0));
    }
}
