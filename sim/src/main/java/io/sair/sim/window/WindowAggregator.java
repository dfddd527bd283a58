package io.sair.sim.window;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.window.ContextAssembler;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's windows: which reports make up window (windowStart, windowEnd]. A report's
 * timestamp closes the period it covers, so the report at the window's end belongs to it. The folding
 * is the core's ({@link ContextAssembler#fold}), the same the Flink job's windows do incrementally.
 */
public final class WindowAggregator {

    private WindowAggregator() {
    }

    /** A window with no reports folded into it (every stage missing), for an autoscaler that reads none. */
    public static PipelineContext unread(PipelineSpec spec, long windowEnd) {
        return ContextAssembler.assemble(spec, windowEnd, java.util.Map.of());
    }

    /** The context of window (windowStart, windowEnd]; reports of other pipelines or times are ignored. */
    public static PipelineContext context(PipelineSpec spec, long windowStart, long windowEnd, List<StageMetrics> reports) {
        List<StageMetrics> inWindow = new ArrayList<>();
        for (StageMetrics m : reports) {
            if (m.ts() != null && m.ts() > windowStart && m.ts() <= windowEnd) {
                inWindow.add(m);
            }
        }
        return ContextAssembler.fold(spec, windowStart, windowEnd, inWindow);
    }
}
