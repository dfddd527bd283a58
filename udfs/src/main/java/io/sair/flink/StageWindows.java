package io.sair.flink;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import io.sair.core.window.OpenWindows;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The stage windows of the rounds and of the fast path in one keyed operator (keyed by pipeline, chained to
 * the gate): the open reports live in memory ({@link OpenWindows}) and are folded when the watermark passes a
 * window's end. Each round goes out as one record of its stage windows ({@link RoundWindows}); each pane between rounds (the fast path's report period) goes
 * out on {@link #SHORT_WINDOWS}, to the controller, which assembles it with the pipeline's spec.
 *
 * <p>In memory between checkpoints only: each checkpoint writes every pipeline's open reports to keyed list
 * state ({@code open-reports}, written in {@link #snapshotState} before the keyed backend is snapshot), and a
 * restore reads them back, so a checkpoint or savepoint holds every open window. Per report this costs no
 * state access and no timer; per checkpoint one write per pipeline with open windows.
 *
 * <p>A report whose round window has closed goes to {@link LateReports#TAG} (a counted dead letter). The uid is
 * that of the former window operator: the windows an older savepoint holds open ({@code window-contents} per
 * window, {@code window-timers}) are taken over at the restore, and folded like the others.
 */
public final class StageWindows extends AbstractStreamOperator<RoundWindows>
        implements OneInputStreamOperator<StageMetrics, RoundWindows> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<ControllerInput> SHORT_WINDOWS =
            new OutputTag<>("short-windows", TypeInformation.of(ControllerInput.class));
    static final ListStateDescriptor<StageMetrics> OPEN =
            new ListStateDescriptor<>("open-reports", TypeInformation.of(StageMetrics.class));
    /** Union operator state: how far each subtask had folded its panes (the least is safe after a rescale). */
    static final ListStateDescriptor<Long> PANES_CLOSED = new ListStateDescriptor<>("panes-closed-to", Types.LONG);
    /** The former {@code WindowOperator}'s state names under this uid (state layout v2). */
    static final ListStateDescriptor<StageMetrics> FORMER_CONTENTS =
            new ListStateDescriptor<>("window-contents", TypeInformation.of(StageMetrics.class));
    static final String FORMER_TIMERS = "window-timers";

    private final long roundMs;
    private final long paneMs;
    private final boolean staggered;

    private transient OpenWindows windows;
    private transient ListState<StageMetrics> openReports;
    private transient ListState<Long> panesClosed;
    /** Pipelines whose open reports the last checkpoint wrote: cleared there once their windows have closed. */
    private transient Set<String> written;
    private transient boolean restored;

    /**
     * @param roundMs the round window
     * @param paneMs the fast path's window, dividing {@code roundMs}; equal to it for no fast path
     * @param staggered each pipeline's windows at its own offset ({@link io.sair.core.time.EventWindows#offset})
     */
    public StageWindows(long roundMs, long paneMs, boolean staggered) {
        new OpenWindows(roundMs, paneMs); // checks the sizes where the job is built
        this.roundMs = roundMs;
        this.paneMs = paneMs;
        this.staggered = staggered;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        restored = context.isRestored();
        panesClosed = context.getOperatorStateStore().getUnionListState(PANES_CLOSED);
    }

    @Override
    public void open() throws Exception {
        super.open();
        windows = new OpenWindows(roundMs, paneMs, staggered);
        written = new HashSet<>();
        long closedTo = Long.MAX_VALUE;
        for (Long t : panesClosed.get()) {
            closedTo = Math.min(closedTo, t);
        }
        if (closedTo != Long.MAX_VALUE) {
            windows.panesClosedBefore(closedTo);
        }
        openReports = getRuntimeContext().getListState(OPEN);
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, OPEN,
                (key, state) -> {
                    written.add((String) key);
                    state.get().forEach(windows::add);
                });
        if (restored) {
            takeOverFormerWindows();
        }
    }

    @Override
    public void processElement(StreamRecord<StageMetrics> record) {
        StageMetrics m = record.getValue();
        if (windows.late(m.pipeline(), m.ts())) {
            output.collect(LateReports.TAG, record);
        } else {
            windows.add(m);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        windows.advance(mark.getTimestamp(), new OpenWindows.Closed() {
            @Override
            public void round(String pipeline, List<StageWindow> stages) {
                RoundWindows round = RoundWindows.of(stages);
                output.collect(new StreamRecord<>(round, round.windowEnd() - 1));
            }

            @Override
            public void pane(String pipeline, List<StageWindow> stages) {
                output.collect(SHORT_WINDOWS, new StreamRecord<>(ControllerInput.surge(stages),
                        stages.get(0).windowEnd() - 1));
            }
        });
        super.processWatermark(mark);
    }

    /** Writes the open reports into keyed state, before the keyed backend takes its snapshot. */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        Set<String> now = new HashSet<>(windows.pipelines());
        for (String pipeline : written) {
            if (!now.contains(pipeline)) {
                setCurrentKey(pipeline);
                openReports.clear();
            }
        }
        for (String pipeline : now) {
            setCurrentKey(pipeline);
            openReports.update(windows.reports(pipeline));
        }
        written = now;
        panesClosed.update(List.of(windows.panesClosedTo()));
    }

    /**
     * A savepoint of the former window operator holds its open windows' reports per window, and a timer each:
     * the reports join the open windows here (and are written as ours at the next checkpoint), the timers go.
     */
    private void takeOverFormerWindows() throws Exception {
        TimeWindow.Serializer ns = new TimeWindow.Serializer();
        getKeyedStateBackend().getOrCreateKeyedState(ns, FORMER_CONTENTS);
        List<Tuple2<Object, TimeWindow>> former = new ArrayList<>();
        try (Stream<Tuple2<Object, TimeWindow>> s = getKeyedStateBackend().getKeysAndNamespaces(FORMER_CONTENTS.getName())) {
            s.forEach(former::add);
        }
        for (Tuple2<Object, TimeWindow> kw : former) {
            setCurrentKey(kw.f0);
            ListState<StageMetrics> contents = getPartitionedState(kw.f1, ns, FORMER_CONTENTS);
            Iterable<StageMetrics> reports = contents.get();
            if (reports != null) {
                reports.forEach(windows::add);
            }
            contents.clear();
        }
        InternalTimerService<TimeWindow> timers = getInternalTimerService(FORMER_TIMERS, ns, new Triggerable<>() {
            @Override
            public void onEventTime(InternalTimer<Object, TimeWindow> timer) {
            }

            @Override
            public void onProcessingTime(InternalTimer<Object, TimeWindow> timer) {
            }
        });
        List<Tuple2<Object, TimeWindow>> timed = new ArrayList<>();
        List<Long> at = new ArrayList<>();
        timers.forEachEventTimeTimer((w, ts) -> {
            timed.add(Tuple2.of(getCurrentKey(), w));
            at.add(ts);
        });
        for (int i = 0; i < timed.size(); i++) {
            setCurrentKey(timed.get(i).f0);
            timers.deleteEventTimeTimer(timed.get(i).f1, at.get(i));
        }
    }
}
