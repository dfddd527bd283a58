package io.sair.flink;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import io.sair.core.window.StageFold;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Folds one stage's reports when its window fires ({@link StageFold}). The window keeps the reports as
 * they came (list state: an append per report, no read), instead of an aggregate that RocksDB would read,
 * decode, re-encode and write back on every report.
 */
public final class StageWindowFold extends ProcessWindowFunction<StageMetrics, StageWindow, String, TimeWindow> {

    private transient StageFold fold;

    @Override
    public void process(String key, Context ctx, Iterable<StageMetrics> reports, Collector<StageWindow> out) {
        if (fold == null) {
            fold = new StageFold();
        } else {
            fold.reset();
        }
        for (StageMetrics m : reports) {
            fold.add(m);
        }
        if (!fold.isEmpty()) {
            out.collect(fold.result(ctx.window().getStart(), ctx.window().getEnd()));
        }
    }
}
