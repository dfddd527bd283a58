package io.sair.job.demo;

import io.sair.sim.AppProfile;
import io.sair.sim.AppProfiles;
import io.sair.sim.Scenarios;
import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.PlantOptions;
import io.sair.sim.workload.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What one demo run does, checked up front so that bad input fails before anything starts.
 *
 * @param bootstrap an existing Kafka to use instead of the embedded broker (null: embedded)
 * @param kafkaPort the embedded broker's port (0: any free port)
 * @param speedup simulated seconds per wall second (0: as fast as the loop goes)
 * @param topicPrefix topics are {@code <prefix>.metrics|pipelines|actions|deadletter}
 */
public record DemoConfig(AppProfile app, String pattern, Trace trace, int rounds, double speedup, Path out,
                         String bootstrap, int kafkaPort, String topicPrefix, long seed) {

    public static final List<String> PATTERNS = List.of("poisson", "ramp", "burst", "flash", "regime", "diurnal", Scenarios.TRACE);

    public DemoConfig {
        if (rounds < 2 || rounds > 10_000) {
            throw new IllegalArgumentException("--rounds must be in 2..10000, got " + rounds);
        }
        if (!(speedup >= 0) || Double.isInfinite(speedup)) {
            throw new IllegalArgumentException("--speedup must be 0 (unpaced) or a positive factor, got " + speedup);
        }
        if (kafkaPort < 0 || kafkaPort > 65_535) {
            throw new IllegalArgumentException("--kafka-port must be in 0..65535, got " + kafkaPort);
        }
        if (!PATTERNS.contains(pattern)) {
            throw new IllegalArgumentException("unknown pattern '" + pattern + "' (one of " + PATTERNS + ")");
        }
        if (Scenarios.TRACE.equals(pattern) && trace == null) {
            throw new IllegalArgumentException("pattern 'trace' needs --trace FILE");
        }
    }

    /** Parses the command line's values: unknown app, unreadable or malformed trace -> IllegalArgumentException. */
    public static DemoConfig of(String app, String pattern, Path traceFile, int rounds, double speedup, Path out,
                                String bootstrap, int kafkaPort, long seed) {
        AppProfile profile = AppProfiles.get(app);
        Trace trace = null;
        String p = pattern == null ? (traceFile != null ? Scenarios.TRACE : "burst") : pattern.toLowerCase(Locale.ROOT);
        if (traceFile != null) {
            if (!Files.isRegularFile(traceFile) || !Files.isReadable(traceFile)) {
                throw new IllegalArgumentException("--trace: cannot read " + traceFile);
            }
            try {
                trace = Trace.read(traceFile);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("--trace " + traceFile + ": " + e.getMessage());
            }
            if (trace.size() < 2) {
                throw new IllegalArgumentException("--trace " + traceFile + ": needs at least two requests");
            }
        }
        // A shared broker may hold earlier runs' records: each run there gets its own topics.
        String prefix = bootstrap == null ? "sair" : "sair-demo-" + Long.toString(System.currentTimeMillis(), 36);
        return new DemoConfig(profile, p, trace, rounds, speedup, out, bootstrap, kafkaPort, prefix, seed);
    }

    public String topic(String kind) {
        return topicPrefix + "." + kind;
    }

    /**
     * The simulated pipeline on this demo's workload (pattern or trace) with the given seed, reporting every 5 s of
     * its time on a clock that starts at {@code epochMs}. It never runs out of requests: a run ends after its rounds.
     */
    public PipelinePlant plant(long seed, long epochMs) {
        return new PipelinePlant(app.spec(), app.models(), Scenarios.workload(app, pattern, DemoRun.REQUESTS, seed, trace,
                traceScale()), new PlantOptions(DemoRun.PERIOD_MS, 3, PlantOptions.defaults().sampleLimit(), epochMs));
    }

    /** The arrival-rate factor for a trace: scaled to the app's mean rate, as the bench does. */
    public double traceScale() {
        return trace == null ? 1.0 : Scenarios.autoTraceScale(app, trace);
    }
}
