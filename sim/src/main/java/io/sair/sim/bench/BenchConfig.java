package io.sair.sim.bench;

import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one {@code ./sair bench} grid runs.
 *
 * @param seeds seeds 1..seeds (tuning uses seed {@link #TUNING_SEED}, never an evaluation seed)
 * @param traceScale arrival-rate factor for the trace; null = scale it to each app's mean rate
 * @param tuneRequests requests per run of the baseline sweep
 * @param frontier also run every other swept setting on the evaluation seeds (frontier.csv), so the verdict
 *        compares SAIR with each baseline's whole frontier, not only its chosen setting
 */
public record BenchConfig(List<String> apps, List<String> patterns, List<String> autoscalers, int seeds, long requests,
                          Path trace, Double traceScale, Path out, int threads, long tuneRequests, boolean frontier) {

    public static final List<String> PATTERNS = List.of("poisson", "ramp", "burst", "flash", "regime", "diurnal");
    public static final long TUNING_SEED = 1000;

    public BenchConfig {
        List<String> allowedApps = new ArrayList<>(AppProfiles.NAMES);
        for (String variant : List.of(AppProfiles.SHARED, AppProfiles.IN_PLACE, AppProfiles.SHARED + AppProfiles.IN_PLACE)) {
            AppProfiles.NAMES.forEach(a -> allowedApps.add(a + variant));
        }
        apps = normalise(apps, AppProfiles.NAMES, "app", allowedApps);
        List<String> allowedPatterns = new ArrayList<>(PATTERNS);
        allowedPatterns.add(Scenarios.TRACE);
        patterns = normalise(patterns, PATTERNS, "pattern", allowedPatterns);
        autoscalers = normalise(autoscalers, Autoscalers.NAMES, "autoscaler");
        if (trace != null && !patterns.contains(Scenarios.TRACE)) {
            List<String> p = new ArrayList<>(patterns);
            p.add(Scenarios.TRACE);
            patterns = List.copyOf(p);
        }
        if (patterns.contains(Scenarios.TRACE) && trace == null) {
            throw new IllegalArgumentException("pattern 'trace' needs --trace FILE");
        }
        if (seeds < 1 || seeds > 100) {
            throw new IllegalArgumentException("--seeds must be in [1, 100], got " + seeds);
        }
        if (requests < 1000) {
            throw new IllegalArgumentException("--requests must be at least 1000, got " + requests);
        }
        if (traceScale != null && (!(traceScale > 0) || traceScale.isInfinite())) {
            throw new IllegalArgumentException("--trace-scale must be a positive finite number, got " + traceScale);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1");
        }
        if (tuneRequests < 1000) {
            throw new IllegalArgumentException("--tune-requests must be at least 1000");
        }
    }

    /** Without the frontier runs. */
    public BenchConfig(List<String> apps, List<String> patterns, List<String> autoscalers, int seeds, long requests,
                       Path trace, Double traceScale, Path out, int threads, long tuneRequests) {
        this(apps, patterns, autoscalers, seeds, requests, trace, traceScale, out, threads, tuneRequests, false);
    }

    public static BenchConfig defaults() {
        return new BenchConfig(null, null, null, 3, 1_000_000, null, null, Path.of("bench-out"), 2, 200_000);
    }

    public BenchConfig withFrontier(boolean on) {
        return new BenchConfig(apps, patterns, autoscalers, seeds, requests, trace, traceScale, out, threads, tuneRequests,
                on);
    }

    private static List<String> normalise(List<String> given, List<String> all, String what) {
        return normalise(given, all, what, all);
    }

    private static List<String> normalise(List<String> given, List<String> all, String what, List<String> allowed) {
        if (given == null || given.isEmpty()) {
            return all;
        }
        List<String> out = new ArrayList<>();
        for (String g : given) {
            for (String part : g.split(",")) {
                String k = part.trim().toLowerCase(Locale.ROOT);
                if (k.isEmpty()) {
                    continue;
                }
                if (!allowed.contains(k)) {
                    throw new IllegalArgumentException("unknown " + what + " '" + part.trim() + "' (one of "
                            + String.join(", ", allowed) + ")");
                }
                if (!out.contains(k)) {
                    out.add(k);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no " + what + " given");
        }
        return List.copyOf(out);
    }
}
