package io.sair.flink;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import io.sair.core.window.ContextAssembler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Gathers the stage windows of one pipeline and window end into a PipelineContext: at once when every
 * stage of the spec has reported, otherwise when the event-time grace timer fires, with the missing
 * stages named (the controller decides on those only if the spec allows it).
 *
 * <p>A round comes as one record of its stage windows ({@link RoundWindows}); one with every stage of the spec is
 * assembled without touching state (on a fleet, keeping each stage window in RocksDB until its round was whole was
 * seven tenths of this step's time). One with a stage missing waits in state for the grace, as before: windows an
 * older savepoint held open are folded stage by stage.
 *
 * <p>A round can come before its pipeline's spec: the gate releases reports once it has the spec, but the spec reaches
 * this step on its own broadcast channel (on a loaded machine a pipeline's first window was dropped here, silently).
 * Such a round waits in state like one with a stage missing, and goes out when the spec comes (whole, or past its
 * grace with the missing stages named); a removal of the pipeline drops it.
 *
 * <p>An operator rather than a {@code KeyedBroadcastProcessFunction}, so that the spec of each pipeline is kept by the
 * subtask that owns it, in keyed state ({@link KeyedSpecs}), not in broadcast state written whole by every subtask at
 * every checkpoint. The state names, the timer service and the uid are those of the former function, so savepoints
 * restore: keyed {@code stage-windows}, event-time timers in {@code user-timers}; its broadcast specs move to keyed
 * state at the restore.
 */
public final class ContextOperator extends AbstractStreamOperator<PipelineContext>
        implements TwoInputStreamOperator<RoundWindows, SpecChange, PipelineContext>, Triggerable<String, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    private static final MapStateDescriptor<String, StageWindow> WINDOWS = new MapStateDescriptor<>("stage-windows",
            Types.STRING, TypeInformation.of(StageWindow.class));

    private final long graceMs;
    private transient MapState<String, StageWindow> windows;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient KeyedSpecs specs;
    private transient Counter incompleteWindows;

    public ContextOperator(long graceMs) {
        this.graceMs = graceMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        windows = getRuntimeContext().getMapState(WINDOWS);
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        specs = KeyedSpecs.open(this);
        incompleteWindows = getRuntimeContext().getMetricGroup().addGroup("sair").counter("incompleteWindows");
    }

    @Override
    public void processElement1(StreamRecord<RoundWindows> record) throws Exception {
        RoundWindows round = record.getValue();
        PipelineSpec spec = specs.get(round.pipeline());
        long windowEnd = round.windowEnd();
        if (spec == null) {
            // The gate had the spec, this step not yet (its own broadcast channel): the round waits in state for it.
            for (StageWindow w : round.stages()) {
                windows.put(slot(windowEnd, w.stage()), w);
            }
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, windowEnd + graceMs);
            return;
        }
        Map<String, StageWindow> whole = new HashMap<>();
        for (StageWindow w : round.stages()) {
            if (spec.stage(w.stage()).isPresent()) {
                whole.put(w.stage(), w);
            }
        }
        if (whole.size() == spec.stages().size()) {
            output.collect(record.replace(ContextAssembler.assemble(spec, windowEnd, whole)));
            return;
        }
        for (StageWindow w : round.stages()) {
            windows.put(slot(windowEnd, w.stage()), w);
        }
        Map<String, StageWindow> present = gather(windows, spec, windowEnd);
        if (present.size() == spec.stages().size()) {
            emit(spec, windowEnd, present, record.getTimestamp());
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, windowEnd + graceMs);
        } else {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, windowEnd + graceMs);
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        long windowEnd = timer.getTimestamp() - graceMs;
        PipelineSpec spec = specs.get(timer.getKey());
        if (spec == null) {
            return; // decided when the spec comes (processElement2); a removal clears them
        }
        Map<String, StageWindow> present = gather(windows, spec, windowEnd);
        if (!present.isEmpty()) {
            // The window closed with a stage missing: counted, and the controller decides without it if the spec allows.
            incompleteWindows.inc();
            emit(spec, windowEnd, present, timer.getTimestamp());
        }
        // Drop leftovers of this and older windows (e.g. a stage the spec no longer has).
        List<String> stale = new ArrayList<>();
        for (String slot : windows.keys()) {
            if (endOf(slot) <= windowEnd) {
                stale.add(slot);
            }
        }
        for (String slot : stale) {
            windows.remove(slot);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
    }

    /**
     * A spec change: kept by the subtask that owns the pipeline (which then is the current key). Rounds that came
     * before the spec, whole ones and those whose grace has passed, go out now; the others wait for their timer as any
     * round with a stage missing does (it also drops a stage the spec lacks). A removal drops them.
     */
    @Override
    public void processElement2(StreamRecord<SpecChange> record) throws Exception {
        SpecChange c = record.getValue();
        if (!specs.apply(c)) {
            return;
        }
        PipelineSpec spec = specs.get(c.pipeline());
        if (spec == null) {
            windows.clear();
            return;
        }
        long watermark = timers.currentWatermark();
        TreeSet<Long> ends = new TreeSet<>();
        for (String slot : windows.keys()) {
            ends.add(endOf(slot));
        }
        for (long end : ends) {
            Map<String, StageWindow> present = gather(windows, spec, end);
            boolean graceOver = end + graceMs <= watermark;
            if (present.size() == spec.stages().size() || graceOver && !present.isEmpty()) {
                if (present.size() < spec.stages().size()) {
                    incompleteWindows.inc();
                }
                emit(spec, end, present, end - 1);
            }
        }
    }

    private static long endOf(String slot) {
        return Long.parseLong(slot.substring(0, slot.indexOf('|')));
    }

    private static Map<String, StageWindow> gather(MapState<String, StageWindow> windows, PipelineSpec spec,
                                                   long windowEnd) throws Exception {
        Map<String, StageWindow> present = new HashMap<>();
        for (StageSpec s : spec.stages()) {
            StageWindow w = windows.get(slot(windowEnd, s.name()));
            if (w != null) {
                present.put(s.name(), w);
            }
        }
        return present;
    }

    private void emit(PipelineSpec spec, long windowEnd, Map<String, StageWindow> present, long timestamp)
            throws Exception {
        output.collect(new StreamRecord<>(ContextAssembler.assemble(spec, windowEnd, present), timestamp));
        for (String stage : present.keySet()) {
            windows.remove(slot(windowEnd, stage));
        }
    }

    private static String slot(long windowEnd, String stage) {
        return windowEnd + "|" + stage;
    }
}
