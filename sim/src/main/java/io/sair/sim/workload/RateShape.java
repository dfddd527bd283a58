package io.sair.sim.workload;

/**
 * Arrival rate over simulated time (requests per second); arrivals are a non-homogeneous Poisson
 * process with this rate, drawn by thinning against {@link #maxRate()}.
 */
public interface RateShape {

    double rate(double tMs);

    double maxRate();

    /** Long-run mean rate, for sizing and for printing. */
    double meanRate();

    String describe();

    /** Poisson: a constant rate. */
    static RateShape constant(double rps) {
        return new RateShape() {
            public double rate(double tMs) {
                return rps;
            }

            public double maxRate() {
                return rps;
            }

            public double meanRate() {
                return rps;
            }

            public String describe() {
                return String.format("poisson %.1f rps", rps);
            }
        };
    }

    /** Ramp: a triangle wave from {@code low} up to {@code high} over half a period and back down. */
    static RateShape ramp(double low, double high, long periodMs) {
        return new RateShape() {
            public double rate(double tMs) {
                double phase = (tMs % periodMs) / periodMs;
                double up = phase < 0.5 ? phase * 2 : (1 - phase) * 2;
                return low + (high - low) * up;
            }

            public double maxRate() {
                return high;
            }

            public double meanRate() {
                return (low + high) / 2;
            }

            public String describe() {
                return String.format("ramp %.1f -> %.1f -> %.1f rps every %d min", low, high, low, periodMs / 60_000);
            }
        };
    }

    /** Burst: {@code base} rps, and for {@code burstMs} of every {@code periodMs} a spike at {@code peak} rps. */
    static RateShape burst(double base, double peak, long periodMs, long burstMs, long offsetMs) {
        return new RateShape() {
            public double rate(double tMs) {
                double phase = (tMs - offsetMs) % periodMs;
                return phase >= 0 && phase < burstMs ? peak : base;
            }

            public double maxRate() {
                return Math.max(base, peak);
            }

            public double meanRate() {
                return base + (peak - base) * burstMs / (double) periodMs;
            }

            public String describe() {
                return String.format("burst %.1f rps with %d s spikes to %.1f rps every %d min", base, burstMs / 1000,
                        peak, periodMs / 60_000);
            }
        };
    }
}
