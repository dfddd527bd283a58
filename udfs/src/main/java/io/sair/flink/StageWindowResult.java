package io.sair.flink;

import io.sair.core.model.StageWindow;
import io.sair.core.window.StageAccumulator;
import io.sair.core.window.StageAggregator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Stamps the window's bounds on the aggregate. */
public final class StageWindowResult extends ProcessWindowFunction<StageAccumulator, StageWindow, String, TimeWindow> {

    @Override
    public void process(String key, Context ctx, Iterable<StageAccumulator> aggregates, Collector<StageWindow> out) {
        for (StageAccumulator acc : aggregates) {
            if (acc.reports > 0) {
                out.collect(StageAggregator.result(acc, ctx.window().getStart(), ctx.window().getEnd()));
            }
        }
    }
}
