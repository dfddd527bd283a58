package io.sair.flink;

import io.sair.core.model.PipelineContext;

/**
 * What the controller reads on its first input: a round's window context, or one report period's short
 * window for the fast path ({@link io.sair.core.SairController#surge}). A record, so it travels without Kryo.
 *
 * @param shortWindow true for the fast path's short window, false for a round's window
 */
public record ControllerInput(PipelineContext context, boolean shortWindow) {

    public static ControllerInput round(PipelineContext context) {
        return new ControllerInput(context, false);
    }

    public static ControllerInput surge(PipelineContext context) {
        return new ControllerInput(context, true);
    }

    public String pipeline() {
        return context.pipeline();
    }
}
