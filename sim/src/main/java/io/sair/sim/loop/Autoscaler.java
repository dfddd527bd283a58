package io.sair.sim.loop;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingDecision;
import java.util.Optional;
import java.util.function.Supplier;

/** Decides once per window; one instance per run (it may keep state). */
public interface Autoscaler {

    String name();

    /** The validated decision for this window, or empty when the autoscaler skips it. */
    Optional<ScalingDecision> decide(PipelineContext ctx);

    /**
     * Whether the autoscaler reads the windows it is given. One that does not (the hindsight oracle decides from the
     * future it knows) is given a window with no reports folded into it (folding them was a third of its run), and
     * its run's trajectory has pods only.
     */
    default boolean readsWindows() {
        return true;
    }

    /**
     * How often this autoscaler decides, in simulated ms; 0 (the default) to decide at the loop's window.
     * Autoscalers that tick faster than 30 s in production (Knative, Ray Serve) ask for the plant's 5 s reports.
     */
    default long decisionIntervalMs() {
        return 0;
    }

    /**
     * How often the autoscaler's fast path looks between decisions, in simulated ms (the plant's report
     * period); 0 (the default): it has none.
     */
    default long surgeIntervalMs() {
        return 0;
    }

    /**
     * The fast path on one short window between decisions: a decision that only adds capacity, or empty. The window
     * is folded when first read, so a wrapper that only looks at the plant at these instants does not pay for it.
     */
    default Optional<ScalingDecision> surge(Supplier<PipelineContext> shortWindow) {
        return Optional.empty();
    }
}
