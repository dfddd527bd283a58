package io.sair.flink;

import io.sair.core.model.StageMetrics;
import io.sair.core.window.StageAccumulator;
import io.sair.core.window.StageAggregator;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental aggregation of one stage's reports in a window (the logic is {@link StageAggregator}). */
public final class StageWindowAggregate implements AggregateFunction<StageMetrics, StageAccumulator, StageAccumulator> {

    @Override
    public StageAccumulator createAccumulator() {
        return new StageAccumulator();
    }

    @Override
    public StageAccumulator add(StageMetrics value, StageAccumulator acc) {
        return StageAggregator.add(value, acc);
    }

    @Override
    public StageAccumulator getResult(StageAccumulator acc) {
        return acc;
    }

    @Override
    public StageAccumulator merge(StageAccumulator a, StageAccumulator b) {
        return StageAggregator.merge(a, b);
    }
}
