package io.sair.sim;

import io.sair.sim.plant.PipelinePlant;
import io.sair.sim.plant.PlantOptions;
import io.sair.sim.workload.Patterns;
import io.sair.sim.workload.PoissonWorkload;
import io.sair.sim.workload.RateShape;
import io.sair.sim.workload.Trace;
import io.sair.sim.workload.TraceWorkload;
import io.sair.sim.workload.Workload;

/** Builds the plant for one (app, pattern, seed): the same requests whatever autoscaler drives it. */
public final class Scenarios {

    public static final String TRACE = "trace";

    private Scenarios() {
    }

    public static Workload workload(AppProfile app, String pattern, long requests, long seed, Trace trace,
                                    double traceScale) {
        long s = workloadSeed(AppProfiles.baseName(app.name()), pattern, seed);
        if (TRACE.equals(pattern)) {
            if (trace == null) {
                throw new IllegalArgumentException("pattern 'trace' needs --trace FILE");
            }
            return new TraceWorkload(trace, traceScale, app.traceWork(), app.u(), app.g(), requests, s);
        }
        return new PoissonWorkload(shape(app, pattern, requests, s), app.u(), app.g(), requests, s);
    }

    /**
     * The rate shape of a pattern: the app's periodic ones, or a seeded one drawn over the run's expected
     * length (requests / mean rate) from its own stream of the workload seed.
     */
    public static RateShape shape(AppProfile app, String pattern, long requests, long workloadSeed) {
        if (Patterns.NAMES.contains(pattern)) {
            long horizonMs = (long) Math.ceil(requests / app.meanRate() * 1000.0);
            return Patterns.of(pattern, app.meanRate(), horizonMs, workloadSeed ^ 0x5DEECE66DL);
        }
        return app.pattern(pattern);
    }

    public static PipelinePlant plant(AppProfile app, String pattern, long requests, long seed, Trace trace,
                                      double traceScale) {
        return plant(app, workload(app, pattern, requests, seed, trace, traceScale));
    }

    /** The app's pipeline on these requests, its reports read in process. */
    public static PipelinePlant plant(AppProfile app, Workload requests) {
        return new PipelinePlant(app.spec(), app.models(), requests, PlantOptions.inProcess());
    }

    /** The trace scale that gives the app its mean rate (printed by the bench). */
    public static double autoTraceScale(AppProfile app, Trace trace) {
        return app.meanRate() / trace.meanRate();
    }

    public static long workloadSeed(String app, String pattern, long seed) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h ^= app.hashCode() * 0xC2B2AE3D27D4EB4FL;
        h ^= pattern.hashCode() * 0x165667B19E3779F9L;
        return h;
    }
}
