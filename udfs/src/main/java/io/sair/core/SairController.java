package io.sair.core;

import io.sair.core.bottleneck.BottleneckDetector;
import io.sair.core.explore.ExplorationState;
import io.sair.core.explore.Explorer;
import io.sair.core.memory.ContextFeatures;
import io.sair.core.memory.ExperienceBuffer;
import io.sair.core.memory.Retriever;
import io.sair.core.memory.SurprisalRetriever;
import io.sair.core.model.Bottleneck;
import io.sair.core.model.EpisodeStage;
import io.sair.core.model.Experience;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.RewardBreakdown;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageTarget;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.BuiltinSelector;
import io.sair.core.policy.Headroom;
import io.sair.core.policy.LoadPeak;
import io.sair.core.policy.Policy;
import io.sair.core.policy.Proposal;
import io.sair.core.reward.Objectives;
import io.sair.core.reward.ParetoFrontier;
import io.sair.core.reward.ParetoPoint;
import io.sair.core.reward.RewardCalculator;
import io.sair.core.reward.RewardConfig;
import io.sair.core.validate.ActionValidator;
import io.sair.core.validate.ScaleUp;
import io.sair.core.validate.Validated;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One SAIR round per pipeline window: reward the last decision -> remember -> detect the bottleneck ->
 * explore, or retrieve and select -> validate -> decision. Pure: state in, state out, time from the window.
 */
public final class SairController {

    private final ControllerConfig config;
    private final RewardCalculator reward;

    public SairController(ControllerConfig config) {
        this.config = config;
        this.reward = new RewardCalculator(config.reward());
    }

    public static SairController defaults() {
        return new SairController(ControllerConfig.defaults());
    }

    public ControllerConfig config() {
        return config;
    }

    /** A whole round with a synchronous policy (the built-in selector unless given another). */
    public Optional<Outcome> step(ControllerState state, PipelineContext ctx, PipelineSpec spec, Policy policy) {
        if (!accepts(state, ctx, spec)) {
            return Optional.empty();
        }
        Round round = begin(state, ctx, spec);
        if (round.probe().isPresent()) {
            return Optional.of(finish(round, new Proposal(round.probe().get(), "exploration probe"), Selector.PROBE, null));
        }
        Proposal p = policy.propose(round.policyInput());
        return Optional.of(finish(round, p, Selector.BUILTIN, null));
    }

    public Optional<Outcome> step(ControllerState state, PipelineContext ctx, PipelineSpec spec) {
        return step(state, ctx, spec, config.builtin());
    }

    /** False for a window that is not newer than the last one decided, or an incomplete one the spec does not allow. */
    public boolean accepts(ControllerState state, PipelineContext ctx, PipelineSpec spec) {
        if (ctx.windowEnd() <= state.lastWindowEnd()) {
            return false;
        }
        return ctx.complete() || spec.policy().allowIncomplete() && !ctx.stages().isEmpty();
    }

    /** First half: reward and remember the last decision, detect the bottleneck, then probe or retrieve. */
    public Round begin(ControllerState state, PipelineContext ctx, PipelineSpec spec) {
        ParetoFrontier frontier = new ParetoFrontier(state.frontier());
        ExperienceBuffer buffer = new ExperienceBuffer(state.experiences(), spec.policy().memoryCap(),
                config.positiveOnly());
        long nextId = state.nextExperienceId();
        RewardBreakdown previous = null;
        if (state.pending() != null && state.pending().windowEnd() < ctx.windowEnd()) {
            PendingDecision pd = state.pending();
            List<StageTarget> executed = executedAction(pd, ctx);
            ParetoPoint point = Objectives.of(ctx);
            previous = reward.evaluate(new RewardCalculator.Window(pd.p99Ms(), pd.costPerHour()),
                    new RewardCalculator.Window(ctx.p99Ms(), ctx.effectiveCostPerHour()), ctx.slaMs(),
                    ScaleUp.share(executed, spec), point, frontier);
            frontier.insert(point);
            Experience e = new Experience(nextId, pd.windowEnd(), pd.features(), pd.observed(), pd.p99Ms(), executed,
                    previous.total(), point.latency(), point.cost());
            if (buffer.offer(e, frontier)) {
                nextId++;
            }
        }
        BottleneckDetector detector = config.detector();
        Bottleneck bottleneck = detector.detect(ctx, spec);
        List<String> saturated = detector.saturated(ctx, spec);
        double[] features = ContextFeatures.of(ctx, spec);
        LoadPeak peak = state.loadPeak().observe(ctx.arrivalRate(), ctx.windowEnd(), LoadPeak.DEFAULT_HALF_LIFE_MS);
        ControllerState remembered = new ControllerState(buffer.episodes(), frontier.points(), state.exploration(), null,
                state.cooldowns(), nextId, state.lastWindowEnd(), peak);
        SplittableRandom rng = Explorer.random(spec.policy().seed(), state.exploration().round());
        // No probe while the SLA is violated: that round belongs to recovery (the draw is still made, so
        // the sequence of choices does not depend on it).
        boolean draw = Explorer.shouldProbe(state.exploration(), rng);
        Optional<ScalingAction> probe = config.explore() && draw && !ctx.slaViolated()
                ? Explorer.probe(ctx, spec, rng, Headroom.defaults(), peak.at(ctx.windowEnd(), LoadPeak.DEFAULT_HALF_LIFE_MS)) : Optional.empty();
        List<Experience> episodes = probe.isPresent() ? List.of()
                : config.retriever().select(features, buffer.episodes(), spec.policy().episodes(),
                        spec.policy().seed() ^ state.exploration().round());
        return new Round(remembered, ctx, spec, previous, bottleneck, saturated, features, episodes, probe);
    }

    /** Second half: validate the proposal, record it as pending, advance exploration, emit the decision. */
    public Outcome finish(Round round, Proposal proposal, Selector selector, String fallbackReason) {
        PipelineContext ctx = round.context();
        PipelineSpec spec = round.spec();
        ControllerState s = round.state();
        Validated v = config.validator().validate(proposal.action(), ctx, spec, s.cooldowns(), ctx.windowEnd());
        String id = ScalingDecision.idFor(ctx.pipeline(), ctx.windowEnd());
        List<EpisodeStage> observed = ctx.stages().stream().map(EpisodeStage::of).toList();
        PendingDecision pending = new PendingDecision(id, ctx.windowEnd(), round.features(), observed, ctx.p99Ms(),
                ctx.effectiveCostPerHour());
        ExplorationState nextExploration = Explorer.advance(s.exploration(), spec.policy());
        ControllerState next = new ControllerState(s.experiences(), s.frontier(), nextExploration, pending, v.cooldowns(),
                s.nextExperienceId(), ctx.windowEnd(), s.loadPeak());
        ScalingDecision d = new ScalingDecision(ScalingDecision.VERSION, id, ctx.pipeline(), ctx.windowEnd(), spec.mode(),
                selector, v.targets(), v.adjustments(), round.bottleneck(), proposal.rationale(), fallbackReason,
                round.previousReward(), ctx.p99Ms(), ctx.slaMs(), ctx.effectiveCostPerHour(), s.exploration().epsilon(),
                s.experiences().size());
        return new Outcome(d, next);
    }

    /**
     * What really ran between the decision and now: the difference of the allocations the two windows
     * report. Learning from this (not from the proposal) keeps a failed or shadowed action from being
     * remembered as done.
     */
    static List<StageTarget> executedAction(PendingDecision pd, PipelineContext now) {
        List<StageTarget> out = new ArrayList<>();
        for (EpisodeStage before : pd.observed()) {
            Optional<StageWindow> after = now.stage(before.stage());
            if (after.isEmpty()) {
                continue;
            }
            out.add(StageTarget.of(before.stage(), before.kind(),
                    new io.sair.core.model.Allocation(before.replicas(), before.cpuMillis(), before.memoryMb(), before.rate()),
                    after.get().allocation()));
        }
        return out;
    }

    /** A decision and the state to keep. */
    public record Outcome(ScalingDecision decision, ControllerState state) {
    }

    /**
     * The controller's parts; {@link #defaults()} is SAIR as the paper runs it, the ablations change one part.
     *
     * @param positiveOnly remember only episodes with positive reward (false: the ablation's Store All)
     * @param explore epsilon-greedy probes on
     */
    public record ControllerConfig(RewardConfig reward, Retriever retriever, BottleneckDetector detector,
                                   ActionValidator validator, Policy builtin, boolean positiveOnly, boolean explore) {

        public static ControllerConfig defaults() {
            return new ControllerConfig(RewardConfig.defaults(), SurprisalRetriever.defaults(),
                    BottleneckDetector.defaults(), ActionValidator.sair(), BuiltinSelector.defaults(), true, true);
        }

        public ControllerConfig withReward(RewardConfig r) {
            return new ControllerConfig(r, retriever, detector, validator, builtin, positiveOnly, explore);
        }

        public ControllerConfig withRetriever(Retriever r) {
            return new ControllerConfig(reward, r, detector, validator, builtin, positiveOnly, explore);
        }

        public ControllerConfig withPositiveOnly(boolean p) {
            return new ControllerConfig(reward, retriever, detector, validator, builtin, p, explore);
        }

        public ControllerConfig withBuiltin(Policy p) {
            return new ControllerConfig(reward, retriever, detector, validator, p, positiveOnly, explore);
        }

        public ControllerConfig withExplore(boolean e) {
            return new ControllerConfig(reward, retriever, detector, validator, builtin, positiveOnly, e);
        }
    }
}
