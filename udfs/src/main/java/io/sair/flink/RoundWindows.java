package io.sair.flink;

import io.sair.core.model.StageWindow;
import java.util.List;

/**
 * One pipeline's stage windows of one round, as the window operator closes them: all at once, so the context step
 * assembles them without keeping them in state. A record, so it travels without Kryo.
 *
 * @param stages one window per stage that reported, in the order the stages first reported (never empty)
 */
public record RoundWindows(String pipeline, long windowEnd, List<StageWindow> stages) {

    public RoundWindows {
        stages = List.copyOf(stages);
    }

    public static RoundWindows of(List<StageWindow> stages) {
        return new RoundWindows(stages.get(0).pipeline(), stages.get(0).windowEnd(), stages);
    }
}
