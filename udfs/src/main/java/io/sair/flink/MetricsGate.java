package io.sair.flink;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.window.MetricsCheck;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets only usable metrics into the windows: records that did not parse, and records for a stage
 * the pipeline's spec does not have, go to the dead letters with their reason. Records of a pipeline
 * whose spec has not arrived yet wait (bounded, in keyed state) for {@code pendingTimeoutMs} of
 * processing time, so a job that starts before its specs are read loses nothing. Event time begins
 * after this step (the job assigns watermarks to what it lets through), so a record let through late
 * still finds its window open. Also installs and removes specs.
 */
public final class MetricsGate extends KeyedBroadcastProcessFunction<String, MetricEnvelope, SpecChange, StageMetrics> {

    private static final ListStateDescriptor<MetricEnvelope> PENDING =
            new ListStateDescriptor<>("pending-metrics", TypeInformation.of(MetricEnvelope.class));
    private static final ValueStateDescriptor<Integer> PENDING_COUNT =
            new ValueStateDescriptor<>("pending-count", Types.INT);

    private final long pendingTimeoutMs;
    private final int maxPending;
    private transient ListState<MetricEnvelope> pending;
    private transient ValueState<Integer> pendingCount;
    private transient Counter deadLetters;

    public MetricsGate(long pendingTimeoutMs, int maxPending) {
        this.pendingTimeoutMs = pendingTimeoutMs;
        this.maxPending = maxPending;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getListState(PENDING);
        pendingCount = getRuntimeContext().getState(PENDING_COUNT);
        deadLetters = getRuntimeContext().getMetricGroup().addGroup("sair").counter("deadLetters");
    }

    @Override
    public void processElement(MetricEnvelope e, ReadOnlyContext ctx, Collector<StageMetrics> out) throws Exception {
        DeadLetterSink dead = sink(d -> ctx.output(Specs.DEAD_LETTERS, d));
        if (!e.ok()) {
            dead.accept(e.error(), e.raw());
            return;
        }
        PipelineSpec spec = ctx.getBroadcastState(Specs.DESCRIPTOR).get(e.metrics().pipeline());
        if (spec != null) {
            admit(e, spec, out, dead);
            return;
        }
        int n = pendingCount.value() == null ? 0 : pendingCount.value();
        if (n >= maxPending) {
            dead.accept("unknown pipeline: no spec for '" + e.metrics().pipeline() + "' and " + maxPending
                    + " records already wait for one", e.raw());
            return;
        }
        pending.add(e);
        pendingCount.update(n + 1);
        if (n == 0) {
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + pendingTimeoutMs);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<StageMetrics> out) throws Exception {
        DeadLetterSink dead = sink(d -> ctx.output(Specs.DEAD_LETTERS, d));
        PipelineSpec spec = ctx.getBroadcastState(Specs.DESCRIPTOR).get(ctx.getCurrentKey());
        Iterable<MetricEnvelope> waiting = pending.get();
        if (waiting != null) {
            for (MetricEnvelope e : waiting) {
                if (spec != null) {
                    admit(e, spec, out, dead);
                } else {
                    dead.accept("unknown pipeline: no spec for '" + e.metrics().pipeline() + "' arrived within "
                            + pendingTimeoutMs / 1000 + " s", e.raw());
                }
            }
        }
        pending.clear();
        pendingCount.clear();
    }

    @Override
    public void processBroadcastElement(SpecChange c, Context ctx, Collector<StageMetrics> out) throws Exception {
        DeadLetterSink dead = sink(d -> ctx.output(Specs.DEAD_LETTERS, d));
        BroadcastState<String, PipelineSpec> specs = ctx.getBroadcastState(Specs.DESCRIPTOR);
        if (c.error() != null) {
            // Every parallel instance sees the broadcast record; one of them reports it.
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                dead.accept(c.error(), c.raw());
            }
            return;
        }
        Specs.apply(c, specs);
        if (c.removal()) {
            return;
        }
        // Release what waited for this spec.
        ctx.applyToKeyedState(PENDING, (key, state) -> {
            if (!key.equals(c.pipeline())) {
                return;
            }
            for (MetricEnvelope e : state.get()) {
                admit(e, c.spec(), out, dead);
            }
            state.clear();
        });
        ctx.applyToKeyedState(PENDING_COUNT, (key, state) -> {
            if (key.equals(c.pipeline())) {
                state.clear();
            }
        });
    }

    private static void admit(MetricEnvelope e, PipelineSpec spec, Collector<StageMetrics> out, DeadLetterSink dead) {
        Optional<String> problem = MetricsCheck.againstSpec(e.metrics(), spec);
        if (problem.isPresent()) {
            dead.accept(problem.get(), e.raw());
        } else {
            out.collect(e.metrics());
        }
    }

    /** A sink that counts and sends dead letters to the side output of whichever context is at hand. */
    private DeadLetterSink sink(java.util.function.Consumer<DeadLetter> output) {
        return (reason, raw) -> {
            deadLetters.inc();
            output.accept(new DeadLetter(reason, raw));
        };
    }

    @FunctionalInterface
    private interface DeadLetterSink {
        void accept(String reason, RawRecord raw);
    }
}
