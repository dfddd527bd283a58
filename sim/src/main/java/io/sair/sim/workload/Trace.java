package io.sair.sim.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * A request-arrival trace: arrival offsets (ms from the first request) and optional per-request work
 * columns. Reads CSV with a header whose first column is the timestamp, either a date-time
 * ({@code 2023-11-16 18:17:03.9799600}, as in the Azure LLM traces) or a number of seconds; the
 * second and third columns, when present, are the request's size units and generated tokens
 * (Azure: ContextTokens, GeneratedTokens).
 */
public record Trace(String name, double[] offsetsMs, double[] u, double[] g) {

    private static final DateTimeFormatter TS = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    public int size() {
        return offsetsMs.length;
    }

    public boolean hasWork() {
        return u != null;
    }

    /** Time from the first to the last request. */
    public double spanMs() {
        return offsetsMs.length == 0 ? 0 : offsetsMs[offsetsMs.length - 1];
    }

    /** Mean arrival rate over the span, requests per second. */
    public double meanRate() {
        return spanMs() > 0 ? (size() - 1) * 1000.0 / spanMs() : 0;
    }

    public static Trace read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file.getFileName().toString(), r);
        }
    }

    public static Trace read(String name, Reader reader) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        String header = in.readLine();
        if (header == null) {
            throw new IOException(name + ": empty trace");
        }
        int cols = header.split(",", -1).length;
        double[] t = new double[1024];
        double[] u = cols >= 2 ? new double[1024] : null;
        double[] g = cols >= 3 ? new double[1024] : null;
        int n = 0;
        LocalDateTime first = null;
        double firstNum = Double.NaN;
        String line;
        int lineNo = 1;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                u = u == null ? null : Arrays.copyOf(u, n * 2);
                g = g == null ? null : Arrays.copyOf(g, n * 2);
            }
            try {
                String ts = f[0].trim();
                if (!ts.isEmpty() && Character.isDigit(ts.charAt(0)) && ts.indexOf('-') > 0) {
                    LocalDateTime at = LocalDateTime.parse(ts, TS);
                    if (first == null) {
                        first = at;
                    }
                    t[n] = ChronoUnit.MICROS.between(first, at) / 1000.0;
                } else {
                    double s = Double.parseDouble(ts);
                    if (Double.isNaN(firstNum)) {
                        firstNum = s;
                    }
                    t[n] = (s - firstNum) * 1000.0;
                }
                if (u != null) {
                    u[n] = Double.parseDouble(f[1].trim());
                }
                if (g != null) {
                    g[n] = Double.parseDouble(f[2].trim());
                }
            } catch (RuntimeException e) {
                throw new IOException(name + ":" + lineNo + ": cannot parse '" + line + "' (" + e.getMessage() + ")", e);
            }
            n++;
        }
        if (n < 2) {
            throw new IOException(name + ": a trace needs at least two requests");
        }
        double[] times = Arrays.copyOf(t, n);
        Arrays.sort(times); // traces are nearly sorted; work columns stay with their row order, close enough
        return new Trace(name, times, u == null ? null : Arrays.copyOf(u, n), g == null ? null : Arrays.copyOf(g, n));
    }
}
