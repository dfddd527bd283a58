package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Json;
import io.sair.core.model.ScalingDecision;
import io.sair.job.demo.DemoRun;
import io.sair.job.report.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sair demo} end to end, a few rounds: embedded broker, the job on a MiniCluster, the plant,
 * the static comparison, the outputs, a savepoint, a report that renders in Chromium, and nothing
 * left running afterwards.
 */
class DemoCommandITCase {

    static final int ROUNDS = 4;

    @BeforeAll
    static void keepTheTestLogging() {
        System.setProperty("log4j2.configurationFile", "log4j2-test.xml");
    }

    @Test
    void theDemoRunsEndToEndAndLeavesNothingRunning(@TempDir Path dir) throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        Path out = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "--rounds", String.valueOf(ROUNDS), "--out", out.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("round  1/4").contains("round  4/4")
                .contains("SAIR next to static allocation").containsPattern("(?m)^  SAIR +\\d+ ms")
                .containsPattern("(?m)^  static +\\d+ ms").contains("Learned state (savepoint): ")
                // The best production baseline on the same requests: its row, and its name with its setting.
                .containsPattern("(?m)^  (hpa|threshold|kpa|keda|ray|ds2) +\\d+ ms")
                .containsPattern("(?m)^Best baseline: (hpa|threshold|kpa|keda|ray|ds2) \\(.+\\), of ");

        // decisions.jsonl: one decision per round, each as published, for consecutive windows.
        List<String> lines = Files.readAllLines(out.resolve("decisions.jsonl"));
        assertThat(lines).hasSize(ROUNDS);
        List<ScalingDecision> ds = lines.stream().map(l -> Json.read(l.getBytes(), ScalingDecision.class)).toList();
        for (int i = 0; i < ROUNDS; i++) {
            assertThat(ds.get(i).pipeline()).isEqualTo("image-classification");
            assertThat(ds.get(i).windowEnd()).isEqualTo(DemoRun.EPOCH_MS + (i + 1) * 30_000L);
            // The job saw real latencies (tens of ms for this app), not a unit mix-up.
            assertThat(ds.get(i).p99Ms()).isGreaterThan(5.0);
        }

        // rounds.csv: a header, then one line per round that agrees with its decision.
        List<String> rows = Files.readAllLines(out.resolve("rounds.csv"));
        assertThat(rows.get(0)).startsWith("round,window_end,p99_ms,sla_ms,cost_per_hour,preprocess_replicas,preprocess_rate")
                .endsWith(",selector,bottleneck,reward");
        assertThat(rows).hasSize(ROUNDS + 1);
        for (int i = 0; i < ROUNDS; i++) {
            String[] f = rows.get(i + 1).split(",", -1);
            assertThat(f[2]).isEqualTo(String.format(Locale.ROOT, "%.1f", ds.get(i).p99Ms()));
            assertThat(f[f.length - 3]).isEqualTo(ds.get(i).selector().wire());
        }

        // The learned state was saved where the summary says.
        String savepoint = r.out().lines().filter(l -> l.startsWith("Learned state (savepoint): ")).findFirst().orElseThrow()
                .substring("Learned state (savepoint): ".length());
        assertThat(Path.of(savepoint)).startsWith(out.resolve("savepoints"));
        assertThat(Path.of(savepoint).resolve("_metadata")).isRegularFile();

        // The report renders in a real browser with all its charts.
        Path report = out.resolve("report.html");
        HeadlessChromium.Rendered page = HeadlessChromium.render(report, dir);
        assertThat(page.images()).isEqualTo(5);
        assertThat(page.decoded()).isEqualTo(5);
        assertThat(page.dom()).contains("SAIR next to static allocation").contains("Decisions");

        assertThat(leftRunning(before)).isEmpty();
    }

    /** Non-daemon threads the demo started that are still alive a few seconds after it returned. */
    static List<String> leftRunning(Set<Thread> before) throws InterruptedException {
        List<String> left = List.of();
        for (int i = 0; i < 50; i++) {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t))
                    .map(Thread::getName).sorted().collect(Collectors.toList());
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        return left;
    }
}
