package io.sair.core.window;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds one pipeline's reports of one window, stage by stage ({@link StageFold}), into one StageWindow per
 * stage that reported, in the order the stages first reported. The folds are kept from window to window:
 * their histograms cost more to allocate than a report costs to fold.
 */
public final class StageFolds {

    /** Pipelines with many (or changing) stage names must not grow the kept folds without bound. */
    private static final int MAX_KEPT = 64;

    private final Map<String, StageFold> folds = new HashMap<>();

    /** The stage windows [start, end) of the reports whose event time lies in it; the others are left out. */
    public List<StageWindow> fold(Iterable<StageMetrics> reports, long start, long end) {
        Map<String, StageFold> inWindow = new LinkedHashMap<>();
        for (StageMetrics m : reports) {
            if (m.ts() < start || m.ts() >= end) {
                continue;
            }
            inWindow.computeIfAbsent(m.stage(), this::fresh).add(m);
        }
        List<StageWindow> out = new ArrayList<>(inWindow.size());
        for (StageFold f : inWindow.values()) {
            out.add(f.result(start, end));
        }
        return out;
    }

    /** The stage's kept fold, emptied for a new window; the caller holds it until the window's result is read. */
    public StageFold fresh(String stage) {
        if (folds.size() >= MAX_KEPT && !folds.containsKey(stage)) {
            folds.clear();
        }
        StageFold f = folds.computeIfAbsent(stage, s -> new StageFold());
        f.reset();
        return f;
    }
}
