package io.sair.core.policy.llm;

import io.sair.core.model.Bottleneck;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageLimits;
import io.sair.core.model.StageSpec;
import io.sair.core.policy.Proposal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What an LLM answer (or a failed call) means for a round: a proposal, or the reason the built-in selector
 * decides instead. An answer that does not parse, or that names a target outside a stage's bounds, is not
 * used. Pure functions; the controller turns the result into a decision.
 */
public final class LlmAnswers {

    private static final int MAX_VIOLATIONS_LISTED = 3;

    private LlmAnswers() {
    }

    /** An answer read: the proposal to validate, or why the answer is not used (exactly one is set). */
    public record Reading(Proposal proposal, String rejection) {

        static Reading rejected(String why) {
            return new Reading(null, why);
        }
    }

    /** Reads an answer against the spec; {@code detected} is the detector's bottleneck, for the rationale. */
    public static Reading read(String answer, PipelineSpec spec, Bottleneck detected) {
        ParseResult r = ActionParser.parse(answer, spec);
        if (!r.accepted()) {
            return Reading.rejected("unusable answer: " + r.error());
        }
        List<String> violations = outOfBounds(r.action(), spec);
        if (!violations.isEmpty()) {
            return Reading.rejected("infeasible answer: " + String.join("; ", violations));
        }
        return new Reading(new Proposal(r.action(), rationale(r, detected)), null);
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
