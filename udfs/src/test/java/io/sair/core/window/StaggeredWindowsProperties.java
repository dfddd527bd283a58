package io.sair.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import io.sair.core.time.EventWindows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Staggered windows: every pipeline's rounds and panes start at its own offset, each report is folded into
 * exactly one round of its pipeline (and, before the round's last pane, one pane inside it), and a fleet's
 * rounds spread over the window instead of closing at one watermark.
 */
class StaggeredWindowsProperties {

    static final long T0 = 1_767_225_600_000L; // a multiple of 30 s
    static final long ROUND = 30_000;
    static final long PANE = 5_000;

    @Property(tries = 300)
    void eachReportIsFoldedOnceInARoundOfItsPipelinesOwnGrid(
            @ForAll @Size(min = 1, max = 6) List<@StringLength(min = 1, max = 12) String> pipelines,
            @ForAll @Size(min = 1, max = 80) List<@LongRange(min = 0, max = 200_000) Long> offsets,
            @ForAll @IntRange(min = 1, max = 20) int steps) {
        OpenWindows windows = new OpenWindows(ROUND, PANE, true);
        Map<String, Integer> added = new HashMap<>();
        java.util.Set<String> panesDue = new java.util.HashSet<>();
        List<StageWindow> rounds = new ArrayList<>();
        List<StageWindow> panes = new ArrayList<>();
        OpenWindows.Closed out = new OpenWindows.Closed() {
            @Override
            public void round(String pipeline, List<StageWindow> stages) {
                rounds.addAll(stages);
            }

            @Override
            public void pane(String pipeline, List<StageWindow> stages) {
                panes.addAll(stages);
            }
        };
        // Reports in arrival order with the watermark moving between them, as the gate lets them through.
        long wm = Long.MIN_VALUE;
        for (int i = 0; i < offsets.size(); i++) {
            String p = pipelines.get(i % pipelines.size());
            long ts = T0 + offsets.get(i);
            if (!windows.late(p, ts)) {
                windows.add(report(p, ts));
                added.merge(p, 1, Integer::sum);
                long offset = EventWindows.offset(p, ROUND, true);
                long paneEnd = EventWindows.start(ts, PANE, offset) + PANE;
                if (Math.floorMod(paneEnd - offset, ROUND) != 0 && paneEnd - 1 > wm) {
                    panesDue.add(p + "@" + paneEnd); // a pane still open when its report came: it must be folded
                }
            } else {
                assertThat(EventWindows.start(ts, ROUND, EventWindows.offset(p, ROUND, true)) + ROUND - 1)
                        .isLessThanOrEqualTo(wm);
            }
            if (i % steps == 0) {
                wm = Math.max(wm, ts - 7_000);
                windows.advance(wm, out);
            }
        }
        windows.advance(Long.MAX_VALUE, out);

        Map<String, Integer> folded = new HashMap<>();
        for (StageWindow w : rounds) {
            long offset = EventWindows.offset(w.pipeline(), ROUND, true);
            assertThat(w.windowEnd() - w.windowStart()).isEqualTo(ROUND);
            assertThat(Math.floorMod(w.windowStart() - offset, ROUND)).isZero();
            folded.merge(w.pipeline(), w.reports(), Integer::sum);
        }
        assertThat(folded).isEqualTo(added);
        assertThat(panes.stream().map(w -> w.pipeline() + "@" + w.windowEnd()).collect(java.util.stream.Collectors.toSet()))
                .isEqualTo(panesDue);
        for (StageWindow w : panes) {
            long offset = EventWindows.offset(w.pipeline(), ROUND, true);
            assertThat(w.windowEnd() - w.windowStart()).isEqualTo(PANE);
            assertThat(Math.floorMod(w.windowStart() - offset, PANE)).isZero();
            assertThat(Math.floorMod(w.windowEnd() - offset, ROUND)).as("the pane ending a round is the round's")
                    .isNotZero();
        }
    }

    @Example
    void aFleetsRoundsSpreadOverTheWindow() {
        int fleet = 10_000;
        int[] perSecond = new int[(int) (ROUND / 1000)];
        for (int i = 0; i < fleet; i++) {
            perSecond[(int) (EventWindows.offset(String.format("pipeline-%05d", i), ROUND, true) / 1000)]++;
        }
        double mean = (double) fleet / perSecond.length;
        for (int n : perSecond) {
            assertThat((double) n).as("pipelines whose rounds close in one second of the window")
                    .isBetween(0.8 * mean, 1.2 * mean);
        }
    }

    @Example
    void unstaggeredWindowsStartAtTheEpoch() {
        assertThat(EventWindows.offset("pipeline-00042", ROUND, false)).isZero();
        OpenWindows windows = new OpenWindows(ROUND, PANE, false);
        List<StageWindow> rounds = new ArrayList<>();
        windows.add(report("a", T0 + 1));
        windows.add(report("b", T0 + 29_999));
        windows.advance(T0 + ROUND - 1, new OpenWindows.Closed() {
            @Override
            public void round(String pipeline, List<StageWindow> stages) {
                rounds.addAll(stages);
            }

            @Override
            public void pane(String pipeline, List<StageWindow> stages) {
            }
        });
        assertThat(rounds).extracting(StageWindow::windowEnd).containsExactly(T0 + ROUND, T0 + ROUND);
    }

    @Example
    void aPipelinesOffsetIsTheSameEveryTimeAndWithinTheWindow() {
        for (String p : List.of("imgcls", "", "nlp-prod/eu-west-1", "pipeline-00001")) {
            long offset = EventWindows.offset(p, ROUND, true);
            assertThat(offset).isBetween(0L, ROUND - 1).isEqualTo(EventWindows.offset(new String(p), ROUND, true));
        }
    }

    static StageMetrics report(String pipeline, long ts) {
        return new StageMetrics(1, pipeline, "inference", "inference-0", ts, StageKind.GPU, 1, 1000, 1024, 1.0, 10L, 10L,
                0L, null, 0.4, 0.5, List.of(40.0, 60.0), null, null, null);
    }
}
