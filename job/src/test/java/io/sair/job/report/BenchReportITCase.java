package io.sair.job.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.job.cli.SairCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./sair bench} writes report.html: the grid tables and every chart, and Chromium renders it with them. */
class BenchReportITCase {

    @Test
    void aSmallGridsReportRendersWithItsTablesAndCharts(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench");
        int rc = SairCli.run("bench", "--apps", "image", "--patterns", "burst", "--autoscalers", "static,sair", "--seeds", "1",
                "--requests", "3000", "--tune-requests", "3000", "--out", out.toString());
        assertThat(rc).isZero();
        long pngs;
        try (Stream<Path> s = Files.list(out)) {
            pngs = s.filter(p -> p.toString().endsWith(".png")).count();
        }
        assertThat(pngs).isGreaterThanOrEqualTo(2);

        Path report = out.resolve("report.html");
        String html = Files.readString(report);
        // summary.md's tables became HTML tables, the markdown pipes are gone.
        assertThat(html).contains("<table>").contains("Effective cost per 1,000 requests").doesNotContain("|---|");
        assertThat(html).doesNotContain("src=\"cost.png\"").contains("data:image/png;base64,");

        HeadlessChromium.Rendered r = HeadlessChromium.render(report, dir);
        assertThat(r.images()).isEqualTo((int) pngs);
        assertThat(r.decoded()).isEqualTo(r.images());
        assertThat(r.dom()).contains("P99 end-to-end latency");
    }
}
