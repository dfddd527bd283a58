package io.sair.core.window;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import io.sair.core.time.EventWindows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The open event-time windows of many pipelines, in memory: each pipeline's reports by round window, folded
 * ({@link StageFolds}) once event time passes the window's end. Between rounds, each pane (the fast path's
 * report period, which divides the round) is folded on its own as it ends; the pane that ends with a round is
 * left to the round. Windows start at the epoch, or staggered at each pipeline's own offset ({@link
 * EventWindows#offset}); a pipeline's panes start at the same offset, so they nest in its rounds.
 *
 * <p>A report whose round window has closed is late ({@link #late}); one whose pane has closed while its round
 * is still open counts in the round only, so no pane is folded twice.
 */
public final class OpenWindows {

    /** Receives the windows as they close. */
    public interface Closed {
        /** A round window of one pipeline: one StageWindow per stage that reported. */
        void round(String pipeline, List<StageWindow> stages);

        /** A pane of one pipeline that ends before its round does. */
        void pane(String pipeline, List<StageWindow> stages);
    }

    private final long roundMs;
    private final long paneMs;
    private final boolean staggered;
    /** Open reports: pipeline -> round window end -> the reports, as they came. */
    private final Map<String, NavigableMap<Long, List<StageMetrics>>> open = new HashMap<>();
    /** Window ends (rounds and panes) -> the pipelines with something to fold then: one "timer" per pipeline and end. */
    private final TreeMap<Long, Set<String>> due = new TreeMap<>();
    private final StageFolds folds = new StageFolds();
    private long watermark = Long.MIN_VALUE;
    /** Panes ending at or before this have been folded already (kept across a restore); rounds are removed once folded. */
    private long panesClosedTo = Long.MIN_VALUE;

    /**
     * @param roundMs the round window
     * @param paneMs the pane, a divisor of {@code roundMs}; equal to it for no panes
     */
    public OpenWindows(long roundMs, long paneMs) {
        this(roundMs, paneMs, false);
    }

    /**
     * @param roundMs the round window
     * @param paneMs the pane, a divisor of {@code roundMs}; equal to it for no panes
     * @param staggered each pipeline's windows at its own offset ({@link EventWindows#offset}), not at the epoch
     */
    public OpenWindows(long roundMs, long paneMs, boolean staggered) {
        if (paneMs <= 0 || paneMs > roundMs || roundMs % paneMs != 0) {
            throw new IllegalArgumentException("the pane (" + paneMs + " ms) must divide the round (" + roundMs + " ms)");
        }
        this.roundMs = roundMs;
        this.paneMs = paneMs;
        this.staggered = staggered;
    }

    /** Whether the pipeline's round window that holds {@code ts} has closed already. */
    public boolean late(String pipeline, long ts) {
        return EventWindows.late(ts, roundMs, offset(pipeline), watermark);
    }

    private long offset(String pipeline) {
        return EventWindows.offset(pipeline, roundMs, staggered);
    }

    /** Keeps a report that is not {@link #late}. */
    public void add(StageMetrics m) {
        long offset = offset(m.pipeline());
        long roundEnd = EventWindows.start(m.ts(), roundMs, offset) + roundMs;
        open.computeIfAbsent(m.pipeline(), p -> new TreeMap<>())
                .computeIfAbsent(roundEnd, e -> new ArrayList<>(8)).add(m);
        schedule(roundEnd, m.pipeline());
        long paneEnd = EventWindows.start(m.ts(), paneMs, offset) + paneMs;
        if (paneEnd != roundEnd && paneEnd - 1 > Math.max(watermark, panesClosedTo)) {
            schedule(paneEnd, m.pipeline());
        }
    }

    /** Event time has reached {@code wm}: every window whose last millisecond it has reached closes, oldest first. */
    public void advance(long wm, Closed out) {
        while (!due.isEmpty() && due.firstKey() - 1 <= wm) {
            Map.Entry<Long, Set<String>> e = due.pollFirstEntry();
            for (String pipeline : e.getValue()) {
                close(pipeline, e.getKey(), out);
            }
        }
        watermark = Math.max(watermark, wm);
        panesClosedTo = Math.max(panesClosedTo, wm);
    }

    private void close(String pipeline, long end, Closed out) {
        NavigableMap<Long, List<StageMetrics>> windows = open.get(pipeline);
        if (windows == null) {
            return;
        }
        long offset = offset(pipeline);
        if (Math.floorMod(end - offset, roundMs) == 0) {
            List<StageMetrics> reports = windows.remove(end);
            if (windows.isEmpty()) {
                open.remove(pipeline);
            }
            if (reports != null) {
                out.round(pipeline, folds.fold(reports, end - roundMs, end));
            }
            return;
        }
        List<StageMetrics> reports = windows.get(EventWindows.start(end - 1, roundMs, offset) + roundMs);
        if (reports != null) {
            List<StageWindow> stages = folds.fold(reports, end - paneMs, end);
            if (!stages.isEmpty()) {
                out.pane(pipeline, stages);
            }
        }
    }

    private void schedule(long end, String pipeline) {
        due.computeIfAbsent(end, e -> new LinkedHashSet<>()).add(pipeline);
    }

    /** The pipelines with open reports. */
    public Set<String> pipelines() {
        return open.keySet();
    }

    /** A pipeline's open reports, oldest window first (what a checkpoint must hold). */
    public List<StageMetrics> reports(String pipeline) {
        List<StageMetrics> all = new ArrayList<>();
        NavigableMap<Long, List<StageMetrics>> windows = open.get(pipeline);
        if (windows != null) {
            windows.values().forEach(all::addAll);
        }
        return all;
    }

    /** How far panes have been folded (kept across a restore, so none is folded twice). */
    public long panesClosedTo() {
        return panesClosedTo;
    }

    /** After a restore, before the reports are added again: the panes up to {@code ts} were folded before. */
    public void panesClosedBefore(long ts) {
        panesClosedTo = Math.max(panesClosedTo, ts);
    }
}
