package io.sair.flink;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.time.EventWindows;
import io.sair.core.window.MetricsCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets only usable metrics into the windows, and never lets one be lost silently on the way.
 *
 * <ul>
 *   <li>Records that did not parse, and records for a stage the pipeline's spec does not have, go to
 *       the dead letters with their reason.</li>
 *   <li>Records of a pipeline whose spec has not arrived yet wait (bounded, in keyed state) for
 *       {@code pendingTimeoutMs} of processing time, so a job that starts before its specs are read
 *       loses nothing. The wait only runs once the specs input has delivered something (a reader that
 *       starts late under load is no missing spec). While any record waits, the gate holds its output watermark just below the
 *       oldest one: event time is taken per partition at the source, and a record let through after
 *       the watermark had passed it would find its window gone.</li>
 *   <li>A record whose window has already fired under the watermark this gate emitted is dead-lettered
 *       as {@code late} and counted ({@code sair.lateRecords}): downstream, the window operator's
 *       watermark is never ahead of this gate's, so nothing the gate lets through is dropped there.</li>
 *   <li>A record further ahead than {@code maxAheadMs} of the job's clock is dead-lettered as
 *       {@code future} at once. One that far ahead of the event time the partitions vouch for (or that
 *       comes before the first watermark) waits like a record without a spec, until event time comes
 *       within reach of it or the wait ends ({@code future} again): it would open a window far ahead of
 *       its pipeline. The watermark itself is safe from it, see {@link ReportWatermarks}. A wait does
 *       not hold the watermark back any further than it already is behind the record.</li>
 * </ul>
 *
 * <p>An operator rather than a {@code KeyedBroadcastProcessFunction} because only an operator can hold
 * its output watermark back. The state names, the timer service and the uid are those of the former
 * function, so savepoints restore: keyed {@code pending-metrics} and {@code pending-count}, processing-time timers
 * in {@code user-timers}. Spec changes come on a broadcast input; each is kept by the subtask that owns its pipeline
 * ({@link KeyedSpecs}: keyed {@code pipeline-spec}; the former layout's broadcast copy is moved there at a restore).
 */
public final class MetricsGate extends AbstractStreamOperator<StageMetrics>
        implements TwoInputStreamOperator<MetricEnvelope, SpecChange, StageMetrics>, Triggerable<String, VoidNamespace> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsGate.class);

    static final ListStateDescriptor<MetricEnvelope> PENDING =
            new ListStateDescriptor<>("pending-metrics", TypeInformation.of(MetricEnvelope.class));
    static final ListStateDescriptor<Boolean> SPECS_LIVE = new ListStateDescriptor<>("specs-live", Types.BOOLEAN);
    static final ValueStateDescriptor<Integer> PENDING_COUNT =
            new ValueStateDescriptor<>("pending-count", Types.INT);

    private final long pendingTimeoutMs;
    private final int maxPending;
    private final long windowMs;
    private final boolean staggered;
    private final long maxAheadMs;

    private transient ListState<MetricEnvelope> pending;
    private transient ValueState<Integer> pendingCount;
    private transient KeyedSpecs specs;
    /** Union operator state: whether the specs input was live at the checkpoint ({@link #specsLive}). */
    private transient ListState<Boolean> specsLiveAtCheckpoint;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient Counter deadLetters;
    private transient Counter lateRecords;
    private transient Counter futureRecords;
    /** Event times of the records waiting in this subtask, as a multiset: the oldest holds the watermark. */
    private transient TreeMap<Long, Integer> waiting;
    private transient long inputWatermark;
    private transient long emittedWatermark;
    /**
     * Whether the specs input has delivered anything to this subtask (or restored specs): until it has,
     * the wait for a spec does not run out. Under load the specs reader can start many seconds after the
     * metrics readers, and a backlog's first reports must not be dead-lettered for that.
     */
    private transient boolean specsLive;
    /** When the specs input first delivered something to this subtask since it started (processing time), or MIN_VALUE. */
    private transient long specsLiveSinceMs;
    /**
     * When a report's wait for its spec starts to count in this run (processing time): when the specs input first
     * delivered something, or when a subtask with restored specs started. A report waiting from before then gets
     * its whole wait after it: specs come one record at a time, and the wait's timer, overdue while the input was
     * silent (or while the job was down, after a restore), fired between the first spec and the report's own.
     */
    private transient long waitFromMs;
    private transient boolean warnedSpecsSilent;

    /**
     * @param windowMs the size of the job's tumbling windows (what "late" means)
     * @param staggered whether each pipeline's windows start at its own offset ({@link EventWindows#offset})
     * @param maxAheadMs how far ahead of the job's clock and event time a report may be
     */
    public MetricsGate(long pendingTimeoutMs, int maxPending, long windowMs, boolean staggered, long maxAheadMs) {
        this.pendingTimeoutMs = pendingTimeoutMs;
        this.maxPending = maxPending;
        this.windowMs = windowMs;
        this.staggered = staggered;
        this.maxAheadMs = maxAheadMs;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        specsLiveAtCheckpoint = context.getOperatorStateStore().getUnionListState(SPECS_LIVE);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        specsLiveAtCheckpoint.update(List.of(specsLive));
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = getRuntimeContext().getListState(PENDING);
        pendingCount = getRuntimeContext().getState(PENDING_COUNT);
        specs = KeyedSpecs.open(this);
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        var group = getRuntimeContext().getMetricGroup().addGroup("sair");
        deadLetters = group.counter("deadLetters");
        lateRecords = group.counter("lateRecords");
        futureRecords = group.counter("futureRecords");
        inputWatermark = Long.MIN_VALUE;
        emittedWatermark = Long.MIN_VALUE;
        waiting = new TreeMap<>();
        specsLive = specs.restoredAny();
        for (Boolean live : specsLiveAtCheckpoint.get()) {
            specsLive |= Boolean.TRUE.equals(live);
        }
        specsLiveSinceMs = Long.MIN_VALUE;
        waitFromMs = specsLive ? getProcessingTimeService().getCurrentProcessingTime() : Long.MIN_VALUE;
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
        if (EventWindows.late(ts, windowMs, EventWindows.offset(e.metrics().pipeline(), windowMs, staggered),
                emittedWatermark)) {
            lateRecords.inc();
            deadLetter("late: the window of ts=" + ts + " closed at event time " + emittedWatermark, e.raw());
            return;
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (EventWindows.ahead(ts, Long.MIN_VALUE, now) > maxAheadMs) {
            future(e, EventWindows.ahead(ts, Long.MIN_VALUE, now), "the job's clock");
            return;
        }
        PipelineSpec spec = specs.get(e.metrics().pipeline());
        if (spec != null && !aheadOfEventTime(ts)) {
            admit(e, spec);
            return;
        }
        int n = pendingCount.value() == null ? 0 : pendingCount.value();
        if (n >= maxPending) {
            deadLetter(spec == null ? "unknown pipeline: no spec for '" + e.metrics().pipeline() + "' and " + maxPending
                    + " records already wait for one" : "future: " + maxPending + " reports of '"
                    + e.metrics().pipeline() + "' already wait for event time to catch up", e.raw());
            return;
        }
        pending.add(e);
        pendingCount.update(n + 1);
        hold(ts);
        if (n == 0) {
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + pendingTimeoutMs);
        }
        // Looked at again once event time is within reach of it (the first watermark may not have come yet).
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, ts - maxAheadMs);
    }

    /** Whether a report is too far ahead of the event time the partitions vouch for, or there is none yet. */
    private boolean aheadOfEventTime(long ts) {
        return inputWatermark == Long.MIN_VALUE || EventWindows.ahead(ts, inputWatermark, Long.MAX_VALUE) > maxAheadMs;
    }

    private void future(MetricEnvelope e, long aheadMs, String of) {
        futureRecords.inc();
        deadLetter("future: ts=" + e.metrics().ts() + " is " + aheadMs / 1000 + " s ahead of " + of + " (max "
                + maxAheadMs / 1000 + " s, sair.metrics.max-ahead)", e.raw());
    }

    /** The wait is over: what still cannot go is dead-lettered with the reason it waited for. */
    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        release(specs.get(timer.getKey()), true);
        emitWatermark();
    }

    /** Event time has come within reach of a report that was ahead of it. */
    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        release(specs.get(timer.getKey()), false);
    }

    @Override
    public void processElement2(StreamRecord<SpecChange> record) throws Exception {
        SpecChange c = record.getValue();
        if (specsLiveSinceMs == Long.MIN_VALUE) {
            specsLiveSinceMs = getProcessingTimeService().getCurrentProcessingTime();
        }
        if (waitFromMs == Long.MIN_VALUE) {
            waitFromMs = specsLiveSinceMs;
        }
        specsLive = true;
        if (c.error() != null) {
            // Every parallel instance sees the broadcast record; one of them reports it.
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                deadLetter(c.error(), c.raw());
            }
            return;
        }
        specs.apply(c);
        if (!c.removal() && specs.owns(c.pipeline())) {
            setCurrentKey(c.pipeline());
            release(c.spec(), false);
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

    /**
     * Emits the watermark the gate may let go of now. Releasing held reports can move it while every input
     * is idle (a quiet topic; the specs input always is), and an output announced idle drops watermarks: so
     * the gate announces itself active for the watermark, and idle again after it if its inputs still are.
     */
    private void emitWatermark() {
        long held = waiting.isEmpty() ? Long.MAX_VALUE : waiting.firstKey() - 1;
        long wm = Math.min(inputWatermark, held);
        if (wm > emittedWatermark) {
            emittedWatermark = wm;
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
            output.emitWatermark(new Watermark(wm));
            if (combinedWatermark.isIdle()) {
                output.emitWatermarkStatus(WatermarkStatus.IDLE);
            }
        }
    }

    /**
     * Lets through what waits for the current key and now may go (its spec is known, event time has come
     * within reach); at the end of the wait ({@code expired}) the rest is dead-lettered, else kept.
     */
    private void release(PipelineSpec spec, boolean expired) throws Exception {
        Iterable<MetricEnvelope> held = pending.get();
        List<MetricEnvelope> kept = new ArrayList<>();
        String specsSeen = null; // what the subtask holds of specs, for a dead letter's reason
        if (held != null) {
            for (MetricEnvelope e : held) {
                long ts = e.metrics().ts();
                boolean ahead = aheadOfEventTime(ts);
                if (spec != null && !ahead) {
                    unhold(ts);
                    admit(e, spec);
                } else if (expired && (spec == null ? waitedSinceSpecsLive() : inputWatermark != Long.MIN_VALUE)) {
                    // (Before the first watermark, e.g. just after a restore, "ahead" is no evidence: it waits on.)
                    unhold(ts);
                    if (spec == null) {
                        specsSeen = specsSeen == null ? specsSeen() : specsSeen;
                        deadLetter("unknown pipeline: no spec for '" + e.metrics().pipeline() + "' arrived within "
                                + pendingTimeoutMs / 1000 + " s" + specsSeen, e.raw());
                    } else {
                        future(e, EventWindows.ahead(ts, inputWatermark, Long.MAX_VALUE), "the job's event time");
                    }
                } else {
                    kept.add(e);
                }
            }
        }
        pending.update(kept);
        if (kept.isEmpty()) {
            pendingCount.clear();
        } else {
            pendingCount.update(kept.size()); // the wait's timer, set for the first of them, still runs
            if (expired) {
                if (spec == null && !specsLive && !warnedSpecsSilent) {
                    warnedSpecsSilent = true;
                    LOG.warn("Reports wait for their pipeline's spec, but no spec has arrived yet from the specs "
                            + "topic; they wait on (at most {} per pipeline) until the first one does", maxPending);
                }
                long now = getProcessingTimeService().getCurrentProcessingTime();
                // A wait cut short by the specs input going live ends a whole wait after that, not a whole wait later.
                long next = spec == null && specsLive && waitFromMs + pendingTimeoutMs > now
                        ? waitFromMs + pendingTimeoutMs : now + pendingTimeoutMs;
                timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, next);
            }
        }
    }

    /** The specs input is live and has been for a whole wait ({@link #waitFromMs}). */
    private boolean waitedSinceSpecsLive() {
        return specsLive && getProcessingTimeService().getCurrentProcessingTime() - waitFromMs >= pendingTimeoutMs;
    }

    /**
     * What this subtask knows of specs, for the reason of a report dead-lettered without one: an operator tells a
     * misspelt pipeline name from specs that have not been published, and a spec that came late from none.
     */
    private String specsSeen() {
        int known = specs.size();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        return " (this subtask holds the specs of " + known + (known == 1 ? " pipeline" : " pipelines")
                + (specsLiveSinceMs == Long.MIN_VALUE ? ", restored; no spec change has come since it started)"
                : "; the first spec change it got came " + Math.max(0, now - specsLiveSinceMs) / 1000 + " s ago)");
    }

    private void settleAll() throws Exception {
        List<String> keys = new ArrayList<>();
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, PENDING,
                (key, state) -> keys.add((String) key));
        for (String key : keys) {
            setCurrentKey(key);
            release(specs.get(key), true);
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
}
