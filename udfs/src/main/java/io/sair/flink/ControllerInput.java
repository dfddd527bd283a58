package io.sair.flink;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.StageWindow;
import java.util.List;

/**
 * What the controller reads on its first input: a round's window context, or one report period's short
 * window for the fast path ({@link io.sair.core.SairController#surge}) as its stage windows, which the
 * controller assembles with the spec it holds (no extra hop to a context step). A record, so it travels
 * without Kryo.
 *
 * @param context a round's context; null for a short window
 * @param shortWindow the stage windows of one short window of one pipeline (never empty); null for a round
 */
public record ControllerInput(PipelineContext context, List<StageWindow> shortWindow) {

    public static ControllerInput round(PipelineContext context) {
        return new ControllerInput(context, null);
    }

    public static ControllerInput surge(List<StageWindow> shortWindow) {
        return new ControllerInput(null, List.copyOf(shortWindow));
    }

    public boolean isShortWindow() {
        return shortWindow != null;
    }

    public String pipeline() {
        return context != null ? context.pipeline() : shortWindow.get(0).pipeline();
    }
}
