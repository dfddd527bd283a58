package io.sair.job.demo;

import io.sair.core.model.Allocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * rounds.csv: one line per round (window end, p99, SLA, cost, replicas and GPU rate per stage as they
 * ran in the window, selector, bottleneck, reward). Written line by line so an interrupted demo keeps
 * what it had.
 */
public final class RoundsCsv implements AutoCloseable {

    private final Writer out;
    private boolean headerDone;

    public RoundsCsv(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    public void add(RoundRow r) {
        try {
            if (!headerDone) {
                out.write(header(r.stages()));
                headerDone = true;
            }
            out.write(line(r));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String header(List<String> stages) {
        StringBuilder sb = new StringBuilder("round,window_end,p99_ms,sla_ms,cost_per_hour");
        for (String s : stages) {
            sb.append(',').append(s).append("_replicas,").append(s).append("_rate");
        }
        return sb.append(",selector,bottleneck,reward\n").toString();
    }

    static String line(RoundRow r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.round()).append(',').append(Instant.ofEpochMilli(r.windowEnd())).append(',')
                .append(num("%.1f", r.p99Ms())).append(',').append(num("%.0f", r.slaMs())).append(',')
                .append(num("%.4f", r.costPerHour()));
        for (Allocation a : r.ran()) {
            sb.append(',').append(a.replicas()).append(',').append(num("%.2f", a.rate()));
        }
        return sb.append(',').append(r.selector()).append(',').append(r.bottleneck()).append(',')
                .append(Double.isNaN(r.reward()) ? "" : num("%.4f", r.reward())).append('\n').toString();
    }

    private static String num(String fmt, double v) {
        return String.format(Locale.ROOT, fmt, v);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
