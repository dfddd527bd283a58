package io.sair.job.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Allocation;
import io.sair.core.model.Bottleneck;
import io.sair.core.model.Mode;
import io.sair.core.model.RewardBreakdown;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageTarget;
import io.sair.job.demo.Baselines;
import io.sair.job.demo.DemoConfig;
import io.sair.job.demo.DemoResult;
import io.sair.job.demo.DemoRun;
import io.sair.job.demo.RoundRow;
import io.sair.job.demo.RunFigures;
import io.sair.job.demo.SurgeRow;
import io.sair.sim.Scenarios;
import io.sair.sim.bench.Autoscalers;
import io.sair.sim.bench.Tuning;
import io.sair.sim.loop.ClosedLoop;
import io.sair.sim.loop.RunResult;
import io.sair.sim.plant.PipelinePlant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo report's page from known rounds: figures, charts, decisions, and text from the job escaped. */
class DemoReportTest {

    @TempDir
    Path dir;

    static ScalingDecision decision(int round, double p99, String rationale) {
        long end = DemoRun.EPOCH_MS + round * 30_000L;
        List<StageTarget> stages = List.of(
                StageTarget.of("preprocess", StageKind.CPU, new Allocation(2, 2000, 1024, 1.0), new Allocation(round + 2, 2000, 1024, 1.0)),
                StageTarget.of("inference", StageKind.GPU, new Allocation(1, 2000, 4096, 1.0), new Allocation(1, 2000, 4096, 0.8)),
                StageTarget.of("postprocess", StageKind.CPU, new Allocation(1, 500, 512, 1.0), new Allocation(1, 500, 512, 1.0)));
        RewardBreakdown reward = round == 1 ? null : new RewardBreakdown(0.1, 0.1, 0, 0.2, 0, 0.25, false, 0.1, 0.3);
        return new ScalingDecision(ScalingDecision.VERSION, ScalingDecision.idFor("image-classification", end),
                "image-classification", end, Mode.ENFORCE, Selector.BUILTIN, stages, null, Bottleneck.PREPROCESSING, rationale,
                null, reward, p99, 150, 3.2, 0.15, round);
    }

    /** A surge 65 s into round 3: preprocess 2->6 replicas, inference rate 0.80->1.00. */
    static ScalingDecision surge() {
        long end = DemoRun.EPOCH_MS + 65_000L;
        List<StageTarget> stages = List.of(
                StageTarget.of("preprocess", StageKind.CPU, new Allocation(2, 2000, 1024, 1.0), new Allocation(6, 2000, 1024, 1.0)),
                StageTarget.of("inference", StageKind.GPU, new Allocation(1, 2000, 4096, 0.8), new Allocation(1, 2000, 4096, 1.0)),
                StageTarget.of("postprocess", StageKind.CPU, new Allocation(1, 500, 512, 1.0), new Allocation(1, 500, 512, 1.0)));
        return new ScalingDecision(ScalingDecision.VERSION, ScalingDecision.surgeIdFor("image-classification", end),
                "image-classification", end, Mode.ENFORCE, Selector.SURGE, stages, null, Bottleneck.PREPROCESSING,
                "arrivals 212 rps > capacity 140 rps at preprocess <b>", null, null, 420, 150, 4.1, 0.15, 2);
    }

    DemoResult result() {
        DemoConfig cfg = DemoConfig.of("image", "burst", null, 4, 0, dir, null, 0, 1);
        PipelinePlant plant = Scenarios.plant(cfg.app(), "burst", 1_000_000, 1, null, 1.0);
        RunResult staticRun = new ClosedLoop(30_000, 4 * 30_000).run("image", "burst", 1, plant,
                Autoscalers.create("static", plant.spec(), Tuning.DEFAULT));
        List<RoundRow> rows = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            rows.add(RoundRow.of(i, DemoRun.EPOCH_MS, decision(i, i == 3 ? 400 : 40, "<script>alert(" + i + ")</script> & more")));
        }
        return new DemoResult(cfg, rows, List.of(SurgeRow.of(3, DemoRun.EPOCH_MS, surge(), 70_000)), new RunFigures("SAIR", 1000, 80, 1.5, 3.1, 0.012, 0.02, 3),
                new RunFigures("static", 1000, 900, 30, 3.3, 0.014, 0.03, 0), staticRun, Baselines.run(cfg), "file:/tmp/sp-1",
                dir.resolve("report.html"), 10);
    }

    @Test
    void theReportHasTheComparisonTheChartsAndEveryDecision() {
        String html = DemoReport.render(result());
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</body></html>\n");
        Matcher img = Pattern.compile("<img alt=\"[^\"]+\" src=\"data:image/png;base64,[A-Za-z0-9+/=]{1000,}\">").matcher(html);
        int images = 0;
        while (img.find()) {
            images++;
        }
        // p99, cost, offered load, replicas, GPU rate.
        assertThat(images).isEqualTo(5);
        assertThat(html).contains("<td class=\"l\">SAIR</td>").contains("80 ms").contains("900 ms")
                .contains("preprocess replicas 2-&gt;5").contains("inference rate 1.00-&gt;0.80")
                .contains("+0.250").contains("preprocessing").contains("file:/tmp/sp-1");
        // The best baseline next to SAIR and static, with its setting, and every baseline below.
        DemoResult r = result();
        assertThat(html).contains("SAIR next to static allocation and the best baseline")
                .contains("<td class=\"l\">" + r.baselines().best().name() + "</td><td class=\"l\">"
                        + Html.esc(r.baselines().best().setting()) + "</td>");
        for (String b : Baselines.NAMES) {
            assertThat(html).contains("<td class=\"l\">" + b + "</td>");
        }
        // The static row is over the SLA and so is round 3.
        assertThat(html).contains("<tr class=\"bad\"><td class=\"l\">static</td>");
        assertThat(html).containsOnlyOnce("<tr class=\"bad\"><td>3</td><td>1.5</td>");
    }

    @Test
    void theFastPathsSurgeDecisionsHaveTheirOwnSectionWithTimeTargetsAndRationale() {
        String html = DemoReport.render(result());
        assertThat(html).contains("4 round decisions and 1 fast-path (surge) decisions");
        String section = html.substring(html.indexOf("<h2>Fast path (surge) decisions</h2>"));
        // Round 3, decided at 1:05 and applied at 1:10 of simulated time, p99 of its report period, what changed, every
        // stage's target, and why.
        assertThat(section).contains("<tr class=\"bad\"><td>3</td><td>1:05</td><td>1:10</td><td>420 ms</td>")
                .contains("preprocess replicas 2-&gt;6, inference rate 0.80-&gt;1.00")
                .contains("preprocess 6x 2000m, inference 1x 2000m @1.00, postprocess 1x 500m")
                .contains("arrivals 212 rps &gt; capacity 140 rps at preprocess &lt;b&gt;");
    }

    @Test
    void withoutSurgesTheSectionSaysSo() {
        DemoResult r = result();
        DemoResult none = new DemoResult(r.config(), r.rounds(), List.of(), r.sair(), r.staticAllocation(), r.staticRun(),
                r.baselines(), r.savepoint(), r.report(), r.wallSeconds());
        assertThat(DemoReport.render(none)).contains("<h2>Fast path (surge) decisions</h2>").contains("None: between the rounds");
    }

    @Test
    void textFromTheJobIsEscaped() {
        String html = DemoReport.render(result());
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
    }
}
