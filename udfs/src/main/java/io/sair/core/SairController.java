package io.sair.core;

import io.sair.core.cost.CostModel;
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
import io.sair.core.model.PolicySettings;
import io.sair.core.model.RewardBreakdown;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageTarget;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.BuiltinSelector;
import io.sair.core.policy.BottleneckRule;
import io.sair.core.policy.Headroom;
import io.sair.core.policy.LoadPeak;
import io.sair.core.policy.LoadRise;
import io.sair.core.policy.StageCapacity;
import io.sair.core.policy.Policy;
import io.sair.core.policy.Proposal;
import io.sair.core.policy.llm.ActionSchema;
import io.sair.core.policy.llm.LlmAnswers;
import io.sair.core.policy.llm.LlmClient;
import io.sair.core.policy.llm.LlmRequest;
import io.sair.core.policy.llm.PromptBuilder;
import io.sair.core.policy.llm.PromptText;
import io.sair.core.reward.Objectives;
import io.sair.core.reward.ParetoFrontier;
import io.sair.core.reward.ParetoPoint;
import io.sair.core.reward.RewardCalculator;
import io.sair.core.reward.RewardConfig;
import io.sair.core.surge.ArrivalTrend;
import io.sair.core.surge.SurgeRule;
import io.sair.core.validate.Cooldowns;
import io.sair.core.validate.ActionValidator;
import io.sair.core.validate.ScaleUp;
import io.sair.core.validate.Validated;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One SAIR round per pipeline window: reward the last decision -> remember -> observe -> explore, or
 * retrieve and select -> validate -> decision. {@link #decide} is the one place a round is routed to a
 * probe, the built-in selector, the fallback or the LLM; callers differ only in how they wait for the
 * LLM's answer. Pure: state in, state out, time from the window.
 */
public final class SairController {

    /** How long past the client's deadline a blocking caller waits before it gives up on the client itself. */
    static final long GRACE_MS = 1_000;

    private final ControllerConfig config;
    private final RewardCalculator reward;
    private final PromptBuilder prompts;

    public SairController(ControllerConfig config) {
        this(config, PromptBuilder.defaults());
    }

    public SairController(ControllerConfig config, PromptBuilder prompts) {
        this.config = config;
        this.reward = new RewardCalculator(config.reward());
        this.prompts = prompts;
    }

    public static SairController defaults() {
        return new SairController(ControllerConfig.defaults());
    }

    public ControllerConfig config() {
        return config;
    }

    /** A whole round without an LLM client: decided at once (a pipeline that wants the LLM gets the fallback). */
    public Optional<Outcome> step(ControllerState state, PipelineContext ctx, PipelineSpec spec) {
        return stepBlocking(state, ctx, spec, null, null);
    }

    /**
     * A whole round, waiting for the LLM's answer on the caller's thread (the simulator, the benchmark and
     * tests; the Flink operator does not block).
     *
     * @param client the LLM client; null: none (then no round asks)
     * @param defaultProvider the client's default provider; null: pipelines must name their own
     */
    public Optional<Outcome> stepBlocking(ControllerState state, PipelineContext ctx, PipelineSpec spec, LlmClient client,
                                          String defaultProvider) {
        return next(state, ctx, spec, Route.of(spec.policy(), client != null, defaultProvider))
                .map(n -> n instanceof Next.Ask ask ? await(ask, client) : ((Next.Decided) n).outcome());
    }

    /** Empty for a window that {@link #accepts} refuses; else the round begun and {@link #decide}d. */
    public Optional<Next> next(ControllerState state, PipelineContext ctx, PipelineSpec spec, Route route) {
        if (!accepts(state, ctx, spec)) {
            return Optional.empty();
        }
        return Optional.of(decide(begin(state, ctx, spec), route));
    }

    /** False for a window that is not newer than the last one decided, or an incomplete one the spec does not allow. */
    public boolean accepts(ControllerState state, PipelineContext ctx, PipelineSpec spec) {
        if (ctx.windowEnd() <= state.lastWindowEnd()) {
            return false;
        }
        return ctx.complete() || spec.policy().allowIncomplete() && !ctx.stages().isEmpty();
    }

    /**
     * The round dispatcher: a probe is decided as drawn; otherwise the route says who selects. Only an LLM
     * round is left open, as the question to ask.
     */
    public Next decide(Round round, Route route) {
        if (round.probe().isPresent()) {
            return new Next.Decided(finish(round, new Proposal(round.probe().get(), "exploration probe"), Selector.PROBE,
                    null));
        }
        return switch (route) {
            case BUILTIN -> new Next.Decided(finish(round, config.builtin().propose(round.policyInput()), Selector.BUILTIN,
                    null));
            case NO_PROVIDER -> new Next.Decided(fallback(round, Route.NO_PROVIDER_REASON));
            case LLM -> new Next.Ask(round, request(round));
        };
    }

    /**
     * The fast path between rounds (hierarchical control): on one report period's short window, add capacity
     * where demand outruns what runs ({@link SurgeRule}). Validated and cooled like any round's decision; it
     * marks the surged stages so that no round releases their capacity within the validator's hold. The
     * round's pending decision stays: the next round rewards it on a window whose allocation includes the
     * surge (what really ran). Empty when the surge path is off, the window is not newer than the last round,
     * or nothing would change.
     */
    /**
     * Whether a short window could surge at all, judged on the window and spec alone: most do not, and the job
     * then skips reading the pipeline's state (its memory) for it. Never false where {@link #surge} would act.
     */
    public boolean mightSurge(PipelineContext shortWindow, PipelineSpec spec) {
        return mightSurge(shortWindow, spec, 1.0);
    }

    /**
     * How many times today's arrivals they are projected to be by the fast path's horizon, on this trend (1: none, or
     * no fast path); the fast path's panic mark is judged on that ({@link SurgeRule}).
     */
    public double growth(ArrivalTrend trend) {
        return config.surge() == null ? 1.0 : trend.growth(config.surge().horizonMs());
    }

    /** As {@link #mightSurge(PipelineContext, PipelineSpec)}, with the arrivals' projected growth ({@link ArrivalTrend}). */
    public boolean mightSurge(PipelineContext shortWindow, PipelineSpec spec, double growth) {
        SurgeRule rule = config.surge();
        return rule != null && !shortWindow.stages().isEmpty()
                && rule.propose(shortWindow, spec, stage -> true, stage -> 0, growth).isPresent();
    }

    public Optional<Outcome> surge(ControllerState state, PipelineContext shortWindow, PipelineSpec spec) {
        return surge(state, shortWindow, spec, 1.0);
    }

    /**
     * As {@link #surge(ControllerState, PipelineContext, PipelineSpec)}, with the arrivals projected {@code growth}
     * times higher by the next round ({@link ArrivalTrend#growth}, from the caller's record of the pipeline's report
     * periods).
     */
    public Optional<Outcome> surge(ControllerState state, PipelineContext shortWindow, PipelineSpec spec, double growth) {
        SurgeRule rule = config.surge();
        if (rule == null || shortWindow.windowEnd() <= state.lastWindowEnd() || shortWindow.stages().isEmpty()) {
            return Optional.empty();
        }
        long now = shortWindow.windowEnd();
        // One surge per stage per horizon: the pods a surge orders take their start-up time to serve, and until
        // then every short window still shows the overload; sized on the window, surging again would multiply the
        // order. A stage whose rate is learned is sized on that, against the replicas ordered, and may follow a rising
        // demand at once.
        Optional<Proposal> proposal = rule.propose(shortWindow, spec,
                stage -> now - state.cooldowns().lastSurge(stage) >= rule.horizonMs()
                        || state.capacity().perUnit(stage) > 0,
                state.capacity()::perUnit, growth);
        if (proposal.isEmpty()) {
            return Optional.empty();
        }
        Validated v = config.validator().validateSurge(proposal.get().action(), shortWindow, spec, state.cooldowns(), now);
        Cooldowns cd = v.cooldowns();
        boolean changed = false;
        for (StageTarget t : v.targets()) {
            if (t.changes()) {
                changed = true;
                cd = cd.surged(t.stage(), now);
            }
        }
        if (!changed) {
            return Optional.empty();
        }
        // The surge's demand is remembered as a peak, so the round's headroom check sees it, not the 30 s mean.
        ControllerState next = new ControllerState(state.experiences(), state.frontier(), state.exploration(),
                state.pending(), cd, state.nextExperienceId(), state.lastWindowEnd(),
                state.loadPeak().observe(shortWindow.arrivalRate(), now, state.memoryMs()), state.loadRise(),
                state.capacity());
        ScalingDecision d = new ScalingDecision(ScalingDecision.VERSION, ScalingDecision.surgeIdFor(shortWindow.pipeline(), now),
                shortWindow.pipeline(), now, spec.mode(), Selector.SURGE, v.targets(), v.adjustments(),
                config.detector().detect(shortWindow, spec), proposal.get().rationale(), null, null, shortWindow.p99Ms(),
                shortWindow.slaMs(), shortWindow.effectiveCostPerHour(), state.exploration().epsilon(),
                state.experiences().size());
        return Optional.of(new Outcome(d, next));
    }

    /** First half: reward and remember the last decision, observe the window, then explore or retrieve. */
    public Round begin(ControllerState state, PipelineContext ctx, PipelineSpec spec) {
        ParetoFrontier frontier = new ParetoFrontier(state.frontier());
        ExperienceBuffer buffer = new ExperienceBuffer(state.experiences(), spec.policy().memoryCap(),
                config.positiveOnly());
        Optional<Rewarded> rewarded = rewardPending(state, ctx, spec, frontier);
        long nextId = rewarded.isPresent() && remember(rewarded.get().episode(), buffer, frontier)
                ? state.nextExperienceId() + 1 : state.nextExperienceId();
        Observation seen = observe(state, ctx, spec);
        ControllerState remembered = new ControllerState(buffer.episodes(), frontier.points(), state.exploration(), null,
                state.cooldowns(), nextId, state.lastWindowEnd(), seen.peak(), seen.rise(), seen.capacity());
        Optional<ScalingAction> probe = explore(state.exploration(), ctx, spec, remembered.peaks(ctx));
        List<Experience> episodes = probe.isPresent() ? List.of()
                : retrieve(seen.features(), buffer.episodes(), spec, state.exploration());
        return new Round(remembered, ctx, spec, rewarded.map(Rewarded::reward).orElse(null), seen.bottleneck(),
                seen.saturated(), seen.features(), episodes, probe,
                state.pending() == null ? Double.NaN : state.pending().p99Ms());
    }

    /** The pending decision's reward and its episode; the window's point joins the frontier (after it is scored). */
    private Optional<Rewarded> rewardPending(ControllerState state, PipelineContext ctx, PipelineSpec spec,
                                             ParetoFrontier frontier) {
        PendingDecision pd = state.pending();
        if (pd == null || pd.windowEnd() >= ctx.windowEnd()) {
            return Optional.empty();
        }
        List<StageTarget> executed = executedAction(pd, ctx);
        ParetoPoint point = Objectives.of(ctx, spec);
        // A pipeline's own weights, caps or margin (policy.reward), else the controller's.
        RewardCalculator reward = spec.policy().reward() == null ? this.reward
                : new RewardCalculator(config.reward().with(spec.policy().reward()));
        RewardBreakdown r = reward.evaluate(new RewardCalculator.Window(pd.p99Ms(), pd.costPerHour()),
                new RewardCalculator.Window(ctx.p99Ms(), CostModel.optimised(ctx, spec)), ctx.slaMs(),
                ScaleUp.share(executed, spec), point, frontier);
        frontier.insert(point);
        return Optional.of(new Rewarded(r, new Experience(state.nextExperienceId(), pd.windowEnd(), pd.features(),
                pd.observed(), pd.p99Ms(), executed, r.total(), point.latency(), point.cost())));
    }

    /** True when the buffer keeps the episode (positive reward, or the ablation that stores all). */
    private static boolean remember(Experience episode, ExperienceBuffer buffer, ParetoFrontier frontier) {
        return buffer.offer(episode, frontier);
    }

    /** The bottleneck, the saturated stages, the retrieval key and the decayed load peak of this window. */
    private Observation observe(ControllerState state, PipelineContext ctx, PipelineSpec spec) {
        BottleneckDetector detector = config.detector();
        long memoryMs = state.memoryMs();
        return new Observation(detector.detect(ctx, spec), detector.saturated(ctx, spec), ContextFeatures.of(ctx, spec),
                state.loadPeak().observe(ctx.arrivalRate(), ctx.windowEnd(), memoryMs),
                state.loadRise().observe(ctx.arrivalRate(), ctx.windowEnd(), memoryMs),
                config.learnCapacity() ? state.capacity().observe(ctx) : state.capacity());
    }

    /** The exploration probe of this round, if it draws one; seeded per round, so a restored job repeats it. */
    private Optional<ScalingAction> explore(ExplorationState exploration, PipelineContext ctx, PipelineSpec spec,
                                            Headroom.Peaks peaks) {
        SplittableRandom rng = Explorer.random(spec.policy().seed(), exploration.round());
        // No probe while the SLA is violated: that round belongs to recovery (the draw is still made, so
        // the sequence of choices does not depend on it).
        boolean draw = Explorer.shouldProbe(exploration, rng);
        return config.explore() && draw && !ctx.slaViolated()
                ? Explorer.probe(ctx, spec, rng, BottleneckRule.defaults(), peaks)
                : Optional.empty();
    }

    /** The k episodes the selector is shown. */
    private List<Experience> retrieve(double[] features, List<Experience> episodes, PipelineSpec spec,
                                      ExplorationState exploration) {
        return config.retriever().select(features, episodes, spec.policy().episodes(),
                spec.policy().seed() ^ exploration.round());
    }

    /** The question for a round that is not a probe. */
    public LlmRequest request(Round round) {
        PolicySettings p = round.spec().policy();
        // The built-in rule's proposal is shown as a candidate: the LLM gets the same sizing arithmetic as a start.
        Proposal candidate = config.builtin().propose(round.policyInput());
        return new LlmRequest(PromptText.name(round.spec().name()), prompts.build(round.policyInput(), candidate),
                ActionSchema.forSpec(round.spec()), p.llmProvider(), p.llmModel(), p.temperature());
    }

    /** The decision from the LLM's answer: the LLM's action, or the built-in selector's when the answer is unusable. */
    public Outcome answered(Round round, String answer) {
        LlmAnswers.Reading r = LlmAnswers.read(answer, round.spec(), round.bottleneck());
        return r.proposal() != null ? finish(round, r.proposal(), Selector.LLM, null) : fallback(round, r.rejection());
    }

    /** The decision when the call failed: the built-in selector's, with the reason. */
    public Outcome failed(Round round, Throwable failure) {
        return fallback(round, LlmAnswers.reasonOf(failure));
    }

    /** The built-in selector decides in the LLM's place; the decision says why. */
    public Outcome fallback(Round round, String reason) {
        return finish(round, config.builtin().propose(round.policyInput()), Selector.FALLBACK, PromptText.line(reason, 300));
    }

    /** Waits for the answer on this thread, never past the client's deadline and a grace. */
    private Outcome await(Next.Ask ask, LlmClient client) {
        try {
            return answered(ask.round(), client.ask(ask.request()).get(client.deadlineMs() + GRACE_MS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback(ask.round(), "interrupted while waiting for the LLM");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return failed(ask.round(), e);
        }
    }

    /** Second half: validate the proposal, record it as pending, advance exploration, emit the decision. */
    public Outcome finish(Round round, Proposal proposal, Selector selector, String fallbackReason) {
        PipelineContext ctx = round.context();
        PipelineSpec spec = round.spec();
        ControllerState s = round.state();
        Validated v = config.validator().validate(proposal.action(), ctx, spec, s.cooldowns(), ctx.windowEnd(),
                round.previousP99Ms());
        String id = ScalingDecision.idFor(ctx.pipeline(), ctx.windowEnd());
        List<EpisodeStage> observed = ctx.stages().stream().map(EpisodeStage::of).toList();
        PendingDecision pending = new PendingDecision(id, ctx.windowEnd(), round.features(), observed, ctx.p99Ms(),
                CostModel.optimised(ctx, spec));
        ExplorationState nextExploration = Explorer.advance(s.exploration(), spec.policy());
        ControllerState next = new ControllerState(s.experiences(), s.frontier(), nextExploration, pending, v.cooldowns(),
                s.nextExperienceId(), ctx.windowEnd(), s.loadPeak(), s.loadRise(), s.capacity());
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

    /** The last decision's reward and the episode it makes. */
    private record Rewarded(RewardBreakdown reward, Experience episode) {
    }

    /** What the round sees in its window. */
    private record Observation(Bottleneck bottleneck, List<String> saturated, double[] features, LoadPeak peak,
                               LoadRise rise, StageCapacity capacity) {
    }

    /**
     * The controller's parts; {@link #defaults()} is SAIR as the paper runs it, the ablations change one part.
     *
     * @param positiveOnly remember only episodes with positive reward (false: the ablation's Store All)
     * @param explore epsilon-greedy probes on
     * @param surge the fast path's rule between rounds; null: no fast path (the ablation's no-surge)
     * @param learnCapacity learn each stage's rate from the rounds ({@link StageCapacity}; false: the ablation's No ICL,
     *     where the fast path sizes on the window in hand)
     */
    public record ControllerConfig(RewardConfig reward, Retriever retriever, BottleneckDetector detector,
                                   ActionValidator validator, Policy builtin, boolean positiveOnly, boolean explore,
                                   SurgeRule surge, boolean learnCapacity) {

        public ControllerConfig(RewardConfig reward, Retriever retriever, BottleneckDetector detector,
                                ActionValidator validator, Policy builtin, boolean positiveOnly, boolean explore) {
            this(reward, retriever, detector, validator, builtin, positiveOnly, explore, SurgeRule.defaults(), true);
        }

        public static ControllerConfig defaults() {
            return new ControllerConfig(RewardConfig.defaults(), SurprisalRetriever.defaults(),
                    BottleneckDetector.defaults(), ActionValidator.sair(), BuiltinSelector.defaults(), true, true,
                    SurgeRule.defaults(), true);
        }

        public ControllerConfig withReward(RewardConfig r) {
            return new ControllerConfig(r, retriever, detector, validator, builtin, positiveOnly, explore, surge,
                    learnCapacity);
        }

        public ControllerConfig withRetriever(Retriever r) {
            return new ControllerConfig(reward, r, detector, validator, builtin, positiveOnly, explore, surge,
                    learnCapacity);
        }

        public ControllerConfig withPositiveOnly(boolean p) {
            return new ControllerConfig(reward, retriever, detector, validator, builtin, p, explore, surge, learnCapacity);
        }

        public ControllerConfig withBuiltin(Policy p) {
            return new ControllerConfig(reward, retriever, detector, validator, p, positiveOnly, explore, surge,
                    learnCapacity);
        }

        public ControllerConfig withExplore(boolean e) {
            return new ControllerConfig(reward, retriever, detector, validator, builtin, positiveOnly, e, surge,
                    learnCapacity);
        }

        /** @param s the fast path's rule; null switches the fast path off */
        public ControllerConfig withSurge(SurgeRule s) {
            return new ControllerConfig(reward, retriever, detector, validator, builtin, positiveOnly, explore, s,
                    learnCapacity);
        }

        public ControllerConfig withLearnedCapacity(boolean learn) {
            return new ControllerConfig(reward, retriever, detector, validator, builtin, positiveOnly, explore, surge,
                    learn);
        }
    }
}
