package io.sair.core.window;

import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.HashMap;
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
        List<String> stages = new ArrayList<>();
        for (StageMetrics m : reports) {
            if (m.ts() < start || m.ts() >= end) {
                continue;
            }
            StageFold fold = folds.computeIfAbsent(m.stage(), s -> new StageFold());
            if (!stages.contains(m.stage())) {
                stages.add(m.stage());
                fold.reset();
            }
            fold.add(m);
        }
        List<StageWindow> out = new ArrayList<>(stages.size());
        for (String stage : stages) {
            out.add(folds.get(stage).result(start, end));
        }
        if (folds.size() > MAX_KEPT) {
            folds.clear();
        }
        return out;
    }
}
