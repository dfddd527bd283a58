package io.sair.flink;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import io.sair.core.window.StageFold;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Folds a pipeline's reports, stage by stage ({@link StageFold}), when its window fires, and emits one
 * StageWindow per stage that reported. The window is keyed by pipeline, like the gate before it, so the
 * two run chained with no shuffle between them, and keeps the reports as they came (list state: an append
 * per report, no read) instead of an aggregate that RocksDB would read, decode, re-encode and write back
 * on every report.
 */
public final class StageWindowFold extends ProcessWindowFunction<StageMetrics, StageWindow, String, TimeWindow> {

    /** Folds kept from window to window (their histograms cost more to allocate than a report to fold). */
    private transient Map<String, StageFold> folds;

    @Override
    public void process(String pipeline, Context ctx, Iterable<StageMetrics> reports, Collector<StageWindow> out) {
        if (folds == null) {
            folds = new HashMap<>();
        }
        List<String> stages = new ArrayList<>();
        for (StageMetrics m : reports) {
            StageFold fold = folds.computeIfAbsent(m.stage(), s -> new StageFold());
            if (!stages.contains(m.stage())) {
                stages.add(m.stage());
                fold.reset();
            }
            fold.add(m);
        }
        for (String stage : stages) {
            out.collect(folds.get(stage).result(ctx.window().getStart(), ctx.window().getEnd()));
        }
        if (folds.size() > 64) {
            folds.clear(); // pipelines with many (or changing) stage names must not grow this without bound
        }
    }
}
