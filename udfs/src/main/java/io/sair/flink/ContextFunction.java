package io.sair.flink;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import io.sair.core.window.ContextAssembler;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

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
 */
public final class ContextFunction extends KeyedBroadcastProcessFunction<String, RoundWindows, SpecChange, PipelineContext> {

    private static final MapStateDescriptor<String, StageWindow> WINDOWS = new MapStateDescriptor<>("stage-windows",
            Types.STRING, TypeInformation.of(StageWindow.class));

    private final long graceMs;
    private transient MapState<String, StageWindow> windows;
    private transient Counter incompleteWindows;

    public ContextFunction(long graceMs) {
        this.graceMs = graceMs;
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(WINDOWS);
        incompleteWindows = getRuntimeContext().getMetricGroup().addGroup("sair").counter("incompleteWindows");
    }

    @Override
    public void processElement(RoundWindows round, ReadOnlyContext ctx, Collector<PipelineContext> out) throws Exception {
        PipelineSpec spec = ctx.getBroadcastState(Specs.DESCRIPTOR).get(round.pipeline());
        long windowEnd = round.windowEnd();
        if (spec == null) {
            // The gate had the spec, this step not yet (its own broadcast channel): the round waits in state for it.
            for (StageWindow w : round.stages()) {
                windows.put(slot(windowEnd, w.stage()), w);
            }
            ctx.timerService().registerEventTimeTimer(windowEnd + graceMs);
            return;
        }
        Map<String, StageWindow> whole = new HashMap<>();
        for (StageWindow w : round.stages()) {
            if (spec.stage(w.stage()).isPresent()) {
                whole.put(w.stage(), w);
            }
        }
        if (whole.size() == spec.stages().size()) {
            out.collect(ContextAssembler.assemble(spec, windowEnd, whole));
            return;
        }
        for (StageWindow w : round.stages()) {
            windows.put(slot(windowEnd, w.stage()), w);
        }
        Map<String, StageWindow> present = gather(windows, spec, windowEnd);
        if (present.size() == spec.stages().size()) {
            emit(windows, spec, windowEnd, present, out);
            ctx.timerService().deleteEventTimeTimer(windowEnd + graceMs);
        } else {
            ctx.timerService().registerEventTimeTimer(windowEnd + graceMs);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PipelineContext> out) throws Exception {
        long windowEnd = timestamp - graceMs;
        PipelineSpec spec = ctx.getBroadcastState(Specs.DESCRIPTOR).get(ctx.getCurrentKey());
        if (spec == null) {
            return; // decided when the spec comes (processBroadcastElement); a removal clears them
        }
        Map<String, StageWindow> present = gather(windows, spec, windowEnd);
        if (!present.isEmpty()) {
            // The window closed with a stage missing: counted, and the controller decides without it if the spec allows.
            incompleteWindows.inc();
            emit(windows, spec, windowEnd, present, out);
        }
        // Drop leftovers of this and older windows (e.g. a stage the spec no longer has).
        java.util.List<String> stale = new java.util.ArrayList<>();
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
    public void processBroadcastElement(SpecChange c, Context ctx, Collector<PipelineContext> out) throws Exception {
        Specs.apply(c, ctx.getBroadcastState(Specs.DESCRIPTOR));
        PipelineSpec spec = ctx.getBroadcastState(Specs.DESCRIPTOR).get(c.pipeline());
        long watermark = ctx.currentWatermark();
        ctx.applyToKeyedState(WINDOWS, (key, state) -> {
            if (!key.equals(c.pipeline())) {
                return;
            }
            if (spec == null) {
                state.clear();
                return;
            }
            // Rounds that came before the spec: whole ones, and those whose grace has passed, go out now; the others
            // wait for their timer as any round with a stage missing does (it also drops a stage the spec lacks).
            TreeSet<Long> ends = new TreeSet<>();
            for (String slot : state.keys()) {
                ends.add(endOf(slot));
            }
            for (long end : ends) {
                Map<String, StageWindow> present = gather(state, spec, end);
                boolean graceOver = end + graceMs <= watermark;
                if (present.size() == spec.stages().size() || graceOver && !present.isEmpty()) {
                    if (present.size() < spec.stages().size()) {
                        incompleteWindows.inc();
                    }
                    emit(state, spec, end, present, out);
                }
            }
        });
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

    private static void emit(MapState<String, StageWindow> windows, PipelineSpec spec, long windowEnd,
                             Map<String, StageWindow> present, Collector<PipelineContext> out) throws Exception {
        out.collect(ContextAssembler.assemble(spec, windowEnd, present));
        for (String stage : present.keySet()) {
            windows.remove(slot(windowEnd, stage));
        }
    }

    private static String slot(long windowEnd, String stage) {
        return windowEnd + "|" + stage;
    }
}
