package io.sair.core.policy.llm;

import io.sair.core.model.Bottleneck;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageSpec;
import io.sair.core.policy.Proposal;
import io.sair.core.validate.ActionValidator;
import io.sair.core.validate.Dimension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What an LLM answer (or a failed call) means for a round: a proposal, or the reason the built-in selector
 * decides instead. An answer that does not parse, or that names any target outside its stage's bounds, is
 * not used: the one bounds policy for LLM answers (the parser keeps targets as written). Pure functions; the controller turns the result into a decision.
 */
public final class LlmAnswers {

    private static final int MAX_VIOLATIONS_LISTED = 3;
    private static final Map<Dimension, String> FIELDS = Map.of(Dimension.REPLICAS, ActionSchema.REPLICAS,
            Dimension.CPU, ActionSchema.CPU, Dimension.MEMORY, ActionSchema.MEMORY, Dimension.RATE, ActionSchema.RATE);

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

    /**
     * The targets of a parsed answer outside their stage's bounds, by {@link ActionValidator#outOfBounds}: such
     * an answer is not used at all, as no clamping can make it mean what the LLM meant.
     */
    public static List<String> outOfBounds(ScalingAction action, PipelineSpec spec) {
        List<String> out = new ArrayList<>();
        for (StageAction a : action.stages()) {
            Optional<StageSpec> s = spec.stage(a.stage());
            if (s.isEmpty()) {
                out.add("unknown stage " + PromptText.name(a.stage()));
                continue;
            }
            for (ActionValidator.OutOfBounds o : ActionValidator.outOfBounds(a, s.get().limits())) {
                boolean rate = o.dimension() == Dimension.RATE;
                out.add(PromptText.name(a.stage()) + "." + FIELDS.get(o.dimension()) + " "
                        + PromptText.num(o.value(), rate ? 3 : 0) + " outside " + PromptText.num(o.min(), rate ? 2 : 0)
                        + ".." + PromptText.num(o.max(), rate ? 2 : 0));
            }
        }
        return out.size() > MAX_VIOLATIONS_LISTED ? out.subList(0, MAX_VIOLATIONS_LISTED) : out;
    }
}
