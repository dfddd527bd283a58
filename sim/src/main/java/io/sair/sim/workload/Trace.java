package io.sair.sim.workload;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
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
 *
 * <p>Checked up front, so that a replay cannot run away: timestamps are finite and never go back in time,
 * span at least 1 microsecond and at most {@link TraceRows#MAX_SPAN_MS}; token columns are finite numbers in
 * [0, {@link #MAX_TOKENS}]; at most {@link TraceRows#MAX_ROWS} rows of at most {@link TraceRows#MAX_LINE_CHARS}
 * characters of UTF-8 text.
 */
public record Trace(String name, double[] offsetsMs, double[] u, double[] g) {

    /** The largest value a token column may hold: ten million, ten times the longest context windows offered. */
    public static final long MAX_TOKENS = 10_000_000L;

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
        // A strict decoder: bytes that are not UTF-8 fail the read (and are reported with their line below).
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader r = new InputStreamReader(Files.newInputStream(file), utf8)) {
            return read(file.getFileName().toString(), r);
        }
    }

    /**
     * Reads and checks a trace; anything a replay could not use (see {@link TraceRows}) is an IOException
     * whose message is one line, {@code name:LINE: problem}.
     */
    public static Trace read(String name, Reader reader) throws IOException {
        TraceRows rows = new TraceRows(name, reader);
        String header = rows.next();
        if (header == null) {
            throw new IOException(name + ": empty trace");
        }
        int cols = Math.min(3, header.split(",", -1).length);
        double[] t = new double[1024];
        double[] u = cols >= 2 ? new double[1024] : null;
        double[] g = cols >= 3 ? new double[1024] : null;
        int n = 0;
        LocalDateTime first = null;
        double firstNum = Double.NaN;
        String line;
        while ((line = rows.next()) != null) {
            if (line.isBlank()) {
                continue;
            }
            if (n == TraceRows.MAX_ROWS) {
                throw rows.problem("more than " + TraceRows.MAX_ROWS + " requests; cut or sample the trace");
            }
            String[] f = line.split(",", -1);
            if (f.length < cols) {
                throw rows.problem("the row has " + f.length + " column(s), the header " + cols + ": " + TraceRows.quote(line));
            }
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                u = u == null ? null : Arrays.copyOf(u, n * 2);
                g = g == null ? null : Arrays.copyOf(g, n * 2);
            }
            String ts = f[0].trim();
            if (isDateTime(ts)) {
                LocalDateTime at = rows.dateTime(ts, TS);
                if (first == null) {
                    first = at;
                }
                t[n] = ChronoUnit.MICROS.between(first, at) / 1000.0;
            } else {
                double s = rows.number(ts, "timestamp");
                if (Double.isNaN(firstNum)) {
                    firstNum = s;
                }
                t[n] = (s - firstNum) * 1000.0;
            }
            rows.checkOffset(ts, t[n], n == 0 ? 0 : t[n - 1]);
            if (u != null) {
                u[n] = rows.tokens(f[1].trim(), "column 2 (ContextTokens)");
            }
            if (g != null) {
                g[n] = rows.tokens(f[2].trim(), "column 3 (GeneratedTokens)");
            }
            n++;
        }
        if (n < 2) {
            throw new IOException(name + ": a trace needs at least two requests, found " + n);
        }
        if (t[n - 1] < TraceRows.MIN_SPAN_MS) {
            throw new IOException(name + ": the timestamps span " + t[n - 1] + " ms; a trace must span a positive time"
                    + " (at least 1 microsecond from the first row to the last)");
        }
        return new Trace(name, Arrays.copyOf(t, n), u == null ? null : Arrays.copyOf(u, n), g == null ? null : Arrays.copyOf(g, n));
    }

    /** {@code 2023-11-16 18:17:03...}: four digits and a dash; anything else is a number of seconds. */
    private static boolean isDateTime(String ts) {
        return ts.length() >= 10 && ts.charAt(4) == '-' && Character.isDigit(ts.charAt(0));
    }
}
