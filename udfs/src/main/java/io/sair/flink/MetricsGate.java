package io.sair.flink;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.time.EventWindows;
import io.sair.core.window.MetricsCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Lets only usable metrics into the windows, and never lets one be lost silently on the way.
 *
 * <ul>
 *   <li>Records that did not parse, and records for a stage the pipeline's spec does not have, go to
 *       the dead letters with their reason.</li>
 *   <li>Records of a pipeline whose spec has not arrived yet wait (bounded, in keyed state) for
 *       {@code pendingTimeoutMs} of processing time, so a job that starts before its specs are read
 *       loses nothing. While any record waits, the gate holds its output watermark just below the
 *       oldest one: event time is taken per partition at the source, and a record let through after
 *       the watermark had passed it would find its window gone.</li>
 *   <li>A record whose window has already fired under the watermark this gate emitted is dead-lettered
 *       as {@code late} and counted ({@code sair.lateRecords}): downstream, the window operator's
 *       watermark is never ahead of this gate's, so nothing the gate lets through is dropped there.</li>
 *   <li>A record further ahead than {@code maxAheadMs} of the job's clock or of the event time the
 *       partitions vouch for is dead-lettered as {@code future}: it would open a window far ahead of
 *       its pipeline (the watermark itself is safe from it, see {@link ReportWatermarks}).</li>
 * </ul>
 *
 * <p>An operator rather than a {@code KeyedBroadcastProcessFunction} because only an operator can hold
 * its output watermark back. The state names, the timer service and the uid are those of the former
 * function, so savepoints restore: keyed {@code pending-metrics} and {@code pending-count}, the broadcast
 * specs, processing-time timers in {@code user-timers}.
 */
public final class MetricsGate extends AbstractStreamOperator<StageMetrics>
        implements TwoInputStreamOperator<MetricEnvelope, SpecChange, StageMetrics>, Triggerable<String, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    static final ListStateDescriptor<MetricEnvelope> PENDING =
            new ListStateDescriptor<>("pending-metrics", TypeInformation.of(MetricEnvelope.class));
    static final ValueStateDescriptor<Integer> PENDING_COUNT =
            new ValueStateDescriptor<>("pending-count", Types.INT);

    private final long pendingTimeoutMs;
    private final int maxPending;
    private final long windowMs;
    private final long maxAheadMs;

    private transient ListState<MetricEnvelope> pending;
    private transient ValueState<Integer> pendingCount;
    private transient BroadcastState<String, PipelineSpec> specs;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient Counter deadLetters;
    private transient Counter lateRecords;
    private transient Counter futureRecords;
    /** Event times of the records waiting in this subtask, as a multiset: the oldest holds the watermark. */
    private transient TreeMap<Long, Integer> waiting;
    private transient long inputWatermark;
    private transient long emittedWatermark;

    /**
     * @param windowMs the size of the job's tumbling windows (what "late" means)
     * @param maxAheadMs how far ahead of the job's clock and event time a report may be
     */
    public MetricsGate(long pendingTimeoutMs, int maxPending, long windowMs, long maxAheadMs) {
        this.pendingTimeoutMs = pendingTimeoutMs;
        this.maxPending = maxPending;
        this.windowMs = windowMs;
        this.maxAheadMs = maxAheadMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = getRuntimeContext().getListState(PENDING);
        pendingCount = getRuntimeContext().getState(PENDING_COUNT);
        specs = getOperatorStateBackend().getBroadcastState(Specs.DESCRIPTOR);
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        var group = getRuntimeContext().getMetricGroup().addGroup("sair");
        deadLetters = group.counter("deadLetters");
        lateRecords = group.counter("lateRecords");
        futureRecords = group.counter("futureRecords");
        inputWatermark = Long.MIN_VALUE;
        emittedWatermark = Long.MIN_VALUE;
        waiting = new TreeMap<>();
        // After a restore, what waits in state holds the watermark again.
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, PENDING,
                (key, state) -> state.get().forEach(e -> hold(e.metrics().ts())));
    }

    @Override
    public void processElement1(StreamRecord<MetricEnvelope> record) throws Exception {
        MetricEnvelope e = record.getValue();
        if (!e.ok()) {
            deadLetter(e.error(), e.raw());
            return;
        }
        long ts = e.metrics().ts();
        if (EventWindows.late(ts, windowMs, emittedWatermark)) {
            lateRecords.inc();
            deadLetter("late: the window of ts=" + ts + " closed at event time " + emittedWatermark, e.raw());
            return;
        }
        long ahead = EventWindows.ahead(ts, inputWatermark, getProcessingTimeService().getCurrentProcessingTime());
        if (ahead > maxAheadMs) {
            futureRecords.inc();
            deadLetter("future: ts=" + ts + " is " + ahead / 1000 + " s ahead of the job's clock or event time (max "
                    + maxAheadMs / 1000 + " s)", e.raw());
            return;
        }
        PipelineSpec spec = specs.get(e.metrics().pipeline());
        if (spec != null) {
            admit(e, spec);
            return;
        }
        int n = pendingCount.value() == null ? 0 : pendingCount.value();
        if (n >= maxPending) {
            deadLetter("unknown pipeline: no spec for '" + e.metrics().pipeline() + "' and " + maxPending
                    + " records already wait for one", e.raw());
            return;
        }
        pending.add(e);
        pendingCount.update(n + 1);
        hold(ts);
        if (n == 0) {
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE,
                    getProcessingTimeService().getCurrentProcessingTime() + pendingTimeoutMs);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        release(specs.get(timer.getKey()), "arrived within " + pendingTimeoutMs / 1000 + " s");
        emitWatermark();
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
        // The gate sets no event-time timers.
    }

    @Override
    public void processElement2(StreamRecord<SpecChange> record) throws Exception {
        SpecChange c = record.getValue();
        if (c.error() != null) {
            // Every parallel instance sees the broadcast record; one of them reports it.
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                deadLetter(c.error(), c.raw());
            }
            return;
        }
        Specs.apply(c, specs);
        if (!c.removal() && ownsKey(c.pipeline())) {
            setCurrentKey(c.pipeline());
            release(c.spec(), null);
            emitWatermark();
        }
    }

    /**
     * The input watermark (the slowest partition's, from the source) goes on, held just below the oldest
     * record still waiting for its spec. At the end of a bounded input every waiting record is settled
     * first, so nothing is left behind the final watermark.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        inputWatermark = mark.getTimestamp();
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            settleAll();
        }
        if (timeServiceManager != null) {
            timeServiceManager.advanceWatermark(mark);
        }
        emitWatermark();
    }

    private void emitWatermark() {
        long held = waiting.isEmpty() ? Long.MAX_VALUE : waiting.firstKey() - 1;
        long wm = Math.min(inputWatermark, held);
        if (wm > emittedWatermark) {
            emittedWatermark = wm;
            output.emitWatermark(new Watermark(wm));
        }
    }

    /** Lets through (or dead-letters) what waits for the current key; {@code spec} null: its wait is over. */
    private void release(PipelineSpec spec, String noSpecReason) throws Exception {
        Iterable<MetricEnvelope> held = pending.get();
        if (held != null) {
            for (MetricEnvelope e : held) {
                unhold(e.metrics().ts());
                if (spec != null) {
                    admit(e, spec);
                } else if (noSpecReason != null) {
                    deadLetter("unknown pipeline: no spec for '" + e.metrics().pipeline() + "' " + noSpecReason, e.raw());
                }
            }
        }
        pending.clear();
        pendingCount.clear();
    }

    private void settleAll() throws Exception {
        List<String> keys = new ArrayList<>();
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, PENDING,
                (key, state) -> keys.add((String) key));
        for (String key : keys) {
            setCurrentKey(key);
            release(specs.get(key), "arrived before the end of the input");
        }
    }

    private void admit(MetricEnvelope e, PipelineSpec spec) {
        Optional<String> problem = MetricsCheck.againstSpec(e.metrics(), spec);
        if (problem.isPresent()) {
            deadLetter(problem.get(), e.raw());
        } else {
            output.collect(new StreamRecord<>(e.metrics(), e.metrics().ts()));
        }
    }

    private void deadLetter(String reason, RawRecord raw) {
        deadLetters.inc();
        output.collect(Specs.DEAD_LETTERS, new StreamRecord<>(new DeadLetter(reason, raw)));
    }

    private void hold(long ts) {
        waiting.merge(ts, 1, Integer::sum);
    }

    private void unhold(long ts) {
        waiting.computeIfPresent(ts, (k, n) -> n == 1 ? null : n - 1);
    }

    /** Whether this subtask holds the key's state (a broadcast record reaches every subtask). */
    private boolean ownsKey(String key) {
        var task = getRuntimeContext().getTaskInfo();
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(key, task.getMaxNumberOfParallelSubtasks(),
                task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask();
    }
}
