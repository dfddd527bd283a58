package io.sair.core.policy.llm;

import io.sair.core.ControllerState;
import io.sair.core.Round;
import io.sair.core.SairController;
import io.sair.core.SairController.Outcome;
import io.sair.core.model.Bottleneck;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.PolicySettings;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.Selector;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.policy.Proposal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The LLM selector's round between {@link SairController#begin} and {@link SairController#finish}: the
 * request for a round, and the decision from an answer or a failure. An answer that does not parse, or
 * that names a target outside a stage's bounds, is not used: the built-in selector decides and the
 * decision is marked {@link Selector#FALLBACK} with the reason. The Flink operator, the simulator and the
 * benchmark share this code; only how they wait for the answer differs.
 */
public final class LlmStep {

    /** How long past the client's deadline a blocking caller waits before it gives up on the client itself. */
    static final long GRACE_MS = 1_000;
    private static final int MAX_VIOLATIONS_LISTED = 3;
    public static final String NO_PROVIDER_REASON = "the pipeline asks for the LLM selector but no LLM provider is configured";

    private final SairController controller;
    private final PromptBuilder prompts;

    public LlmStep(SairController controller, PromptBuilder prompts) {
        this.controller = controller;
        this.prompts = prompts;
    }

    public static LlmStep of(SairController controller) {
        return new LlmStep(controller, PromptBuilder.defaults());
    }

    public SairController controller() {
        return controller;
    }

    /** What decides a pipeline's policy rounds, given the job's default provider (null: none configured). */
    public static Route route(PolicySettings policy, String defaultProvider) {
        boolean hasProvider = policy.llmProvider() != null || defaultProvider != null;
        return switch (policy.selector()) {
            case PolicySettings.LLM -> hasProvider ? Route.LLM : Route.NO_PROVIDER;
            case PolicySettings.AUTO -> hasProvider ? Route.LLM : Route.BUILTIN;
            default -> Route.BUILTIN;
        };
    }

    /** Who decides a round. */
    public enum Route {
        /** The LLM, with the built-in selector as the fallback. */
        LLM,
        /** The built-in selector, as chosen. */
        BUILTIN,
        /** The spec asks for the LLM but no provider is configured: the built-in selector decides as a fallback. */
        NO_PROVIDER
    }

    /** The question for a round that is not a probe. */
    public LlmRequest request(Round round) {
        PolicySettings p = round.spec().policy();
        return new LlmRequest(PromptText.name(round.spec().name()), prompts.build(round.policyInput()),
                ActionSchema.forSpec(round.spec()), p.llmProvider(), p.llmModel(), p.temperature());
    }

    /** The decision from the LLM's answer: the LLM's action, or the built-in selector's when the answer is unusable. */
    public Outcome answered(Round round, String answer) {
        ParseResult r = ActionParser.parse(answer, round.spec());
        if (!r.accepted()) {
            return fallback(round, "unusable answer: " + r.error());
        }
        List<String> violations = outOfBounds(r.action(), round.spec());
        if (!violations.isEmpty()) {
            return fallback(round, "infeasible answer: " + String.join("; ", violations));
        }
        return controller.finish(round, new Proposal(r.action(), rationale(r, round.policyInput().bottleneck())),
                Selector.LLM, null);
    }

    /**
     * The LLM's rationale, and where its bottleneck differs from the detector's, both: the decision's
     * bottleneck field stays the detector's (the reward and retrieval key on it), and a reader of the
     * decision sees when the model read the pipeline differently.
     */
    static String rationale(ParseResult r, Bottleneck detected) {
        String text = r.rationale().isEmpty() ? "(no rationale given)" : r.rationale();
        Bottleneck seen = detected == null ? Bottleneck.NONE : detected;
        if (r.bottleneck() == null || r.bottleneck() == seen) {
            return text;
        }
        return text + " [bottleneck: the LLM says " + r.bottleneck().wire() + ", the detector " + seen.wire() + "]";
    }

    /** The decision when the call failed: the built-in selector's, with the reason. */
    public Outcome failed(Round round, Throwable failure) {
        return fallback(round, reasonOf(failure));
    }

    /** The built-in selector decides in the LLM's place; the decision says why. */
    public Outcome fallback(Round round, String reason) {
        Proposal p = controller.config().builtin().propose(round.policyInput());
        return controller.finish(round, p, Selector.FALLBACK, PromptText.line(reason, 300));
    }

    /**
     * A whole round, waiting for the answer on the caller's thread (the simulator and the benchmark; the
     * Flink job does not block). Probes and built-in rounds do not call the LLM.
     */
    public Optional<Outcome> stepBlocking(ControllerState state, PipelineContext ctx, PipelineSpec spec, LlmClient client,
                                          String defaultProvider) {
        if (!controller.accepts(state, ctx, spec)) {
            return Optional.empty();
        }
        Round round = controller.begin(state, ctx, spec);
        if (round.probe().isPresent()) {
            return Optional.of(controller.finish(round, new Proposal(round.probe().get(), "exploration probe"),
                    Selector.PROBE, null));
        }
        Route route = client == null ? route(spec.policy(), null) : route(spec.policy(), defaultProvider);
        if (route == Route.BUILTIN) {
            return Optional.of(controller.finish(round, controller.config().builtin().propose(round.policyInput()),
                    Selector.BUILTIN, null));
        }
        if (route == Route.NO_PROVIDER || client == null) {
            return Optional.of(fallback(round, NO_PROVIDER_REASON));
        }
        try {
            String answer = client.ask(request(round)).get(client.deadlineMs() + GRACE_MS, TimeUnit.MILLISECONDS);
            return Optional.of(answered(round, answer));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(fallback(round, "interrupted while waiting for the LLM"));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return Optional.of(failed(round, e));
        }
    }

    /** A short reason for a failed call, without the provider's message (which may echo anything). */
    public static String reasonOf(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof LlmFailure) {
            return t.getMessage();
        }
        if (t instanceof TimeoutException) {
            return "no answer within the deadline";
        }
        return "LLM call failed: " + (t == null ? "unknown error" : t.getClass().getSimpleName());
    }

    /** The targets of a parsed answer that lie outside their stage's bounds (no step clamping can make them mean the same). */
    public static List<String> outOfBounds(ScalingAction action, PipelineSpec spec) {
        List<String> out = new ArrayList<>();
        for (StageAction a : action.stages()) {
            Optional<StageSpec> s = spec.stage(a.stage());
            if (s.isEmpty()) {
                out.add("unknown stage " + PromptText.name(a.stage()));
                continue;
            }
            StageLimits l = s.get().limits();
            String n = PromptText.name(a.stage());
            check(out, n + ".replicas", a.replicas(), l.minReplicas(), l.maxReplicas());
            check(out, n + ".cpu_millicores", a.cpuMillicores(), l.minCpuMillis(), l.maxCpuMillis());
            check(out, n + ".memory_mb", a.memoryMb(), l.minMemoryMb(), l.maxMemoryMb());
            if (a.rateRatio() != null && (a.rateRatio() < l.minRate() - 1e-9 || a.rateRatio() > l.maxRate() + 1e-9)) {
                out.add(n + ".rate_ratio " + PromptText.num(a.rateRatio(), 3) + " outside " + PromptText.num(l.minRate(), 2)
                        + ".." + PromptText.num(l.maxRate(), 2));
            }
        }
        return out.size() > MAX_VIOLATIONS_LISTED ? out.subList(0, MAX_VIOLATIONS_LISTED) : out;
    }

    private static void check(List<String> out, String what, Integer v, int min, int max) {
        if (v != null && (v < min || v > max)) {
            out.add(what + " " + v + " outside " + min + ".." + max);
        }
    }
}
