package io.sair.job.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * report.html of a bench run, from what the harness wrote into its directory: summary.md (the grid
 * tables), the small CSVs of the ablation and bottleneck runs as tables, and every PNG chart.
 */
public final class BenchReport {

    /** CSVs small enough to show whole; results.csv (one line per run) stays a file. */
    private static final List<String> TABLES = List.of("ablation.csv", "bottleneck.csv");

    private BenchReport() {
    }

    /** Writes {@code dir/report.html} and returns its path. */
    public static Path write(Path dir) throws IOException {
        Path file = dir.resolve("report.html");
        Files.writeString(file, render(dir), StandardCharsets.UTF_8);
        return file;
    }

    static String render(Path dir) throws IOException {
        Html h = new Html("SAIR bench");
        Path summary = dir.resolve("summary.md");
        if (Files.isRegularFile(summary)) {
            List<Extension> ext = List.of(TablesExtension.create());
            // escapeHtml: the markdown is ours, but a trace file name in it must not become markup.
            String body = HtmlRenderer.builder().extensions(ext).escapeHtml(true).build()
                    .render(Parser.builder().extensions(ext).build().parse(Files.readString(summary)));
            h.raw(body);
        } else {
            h.h1("SAIR bench");
        }
        for (String name : TABLES) {
            Path csv = dir.resolve(name);
            if (Files.isRegularFile(csv)) {
                h.h2(name);
                csvTable(h, Files.readAllLines(csv));
            }
        }
        List<Path> pngs;
        try (Stream<Path> s = Files.list(dir)) {
            pngs = s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
        if (!pngs.isEmpty()) {
            h.h2("Charts");
            for (Path p : pngs) {
                h.image(Files.readAllBytes(p), p.getFileName().toString(), p.getFileName().toString());
            }
        }
        return h.render();
    }

    private static void csvTable(Html h, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<List<String>> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (!l.isBlank()) {
                rows.add(Arrays.asList(l.split(",", -1)));
            }
        }
        h.table(header, rows, Set.of(0), null, rows.size() > 20);
    }
}
