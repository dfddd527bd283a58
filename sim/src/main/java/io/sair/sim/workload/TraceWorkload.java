package io.sair.sim.workload;

import java.util.SplittableRandom;

/**
 * Replays a trace, its arrival times divided by {@code scale} (2 = twice the arrival rate), looping
 * the trace (each pass starts one mean gap after the last) until {@code count} requests. Work comes
 * from the trace's columns when {@code useTraceWork}, else from the app's distributions.
 */
public final class TraceWorkload implements Workload {

    private final Trace trace;
    private final double scale;
    private final boolean useTraceWork;
    private final WorkDist uDist;
    private final WorkDist gDist;
    private final long count;
    private final SplittableRandom rng;
    private final double passMs;
    private long emitted;
    private double t;
    private double u;
    private double g;

    public TraceWorkload(Trace trace, double scale, boolean useTraceWork, WorkDist u, WorkDist g, long count, long seed) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            // An infinite scale puts every request at time 0, where simulated time never moves on.
            throw new IllegalArgumentException("trace scale must be a positive finite number, got " + scale);
        }
        this.trace = trace;
        this.scale = scale;
        this.useTraceWork = useTraceWork && trace.hasWork();
        this.uDist = u;
        this.gDist = g;
        this.count = count;
        this.rng = new SplittableRandom(seed);
        this.passMs = trace.spanMs() + trace.spanMs() / (trace.size() - 1);
    }

    public double scale() {
        return scale;
    }

    @Override
    public boolean advance() {
        if (emitted >= count) {
            return false;
        }
        int i = (int) (emitted % trace.size());
        long pass = emitted / trace.size();
        t = (pass * passMs + trace.offsetsMs()[i]) / scale;
        if (useTraceWork) {
            u = trace.u()[i];
            g = trace.g() == null ? gDist.sample(rng) : trace.g()[i];
        } else {
            u = uDist.sample(rng);
            g = gDist.sample(rng);
        }
        emitted++;
        return true;
    }

    @Override
    public double timeMs() {
        return t;
    }

    @Override
    public double u() {
        return u;
    }

    @Override
    public double g() {
        return g;
    }

    @Override
    public String describe() {
        return String.format("trace %s x%.2f time scale (%.2f rps mean)", trace.name(), scale, trace.meanRate() * scale);
    }
}
