package io.sair.gpuagent;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Failed authentications: counted per reason ({@code sair_gpu_agent_auth_failures_total}, exported with
 * the agent's other metrics) and turned into at most one log line per interval, which says how many came
 * since the last line, so that a flood of bad requests cannot flood the log. Never sees the token.
 */
final class AuthFailures {

    enum Reason {
        /** No {@code Authorization: Bearer} header. */
        MISSING("missing"),
        /** A bearer token that is not the agent's. */
        WRONG("wrong");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    private final Counter counter;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private boolean loggedOnce;
    private long lastLineNanos;
    private long missing;
    private long wrong;

    AuthFailures(CollectorRegistry registry, Duration interval, LongSupplier nanoClock) {
        this.counter = Counter.build("sair_gpu_agent_auth_failures",
                "Requests to /v1 refused for a missing or wrong bearer token").labelNames("reason").register(registry);
        for (Reason r : Reason.values()) {
            counter.labels(r.label); // both series exist from the start, at 0
        }
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Counts one failure from {@code remote}; returns the line to log now, or null while the last line is
     * younger than the interval (the failure is then told in the next line).
     */
    synchronized String record(Reason reason, String remote) {
        counter.labels(reason.label).inc();
        if (reason == Reason.MISSING) {
            missing++;
        } else {
            wrong++;
        }
        long now = nanoClock.getAsLong();
        if (loggedOnce && now - lastLineNanos < intervalNanos) {
            return null;
        }
        String line = String.format("refused %d request(s) for a missing (%d) or wrong (%d) bearer token%s; "
                + "the latest from %s", missing + wrong, missing, wrong,
                loggedOnce ? String.format(" in the last %.0f s", (now - lastLineNanos) / 1e9) : "", remote);
        loggedOnce = true;
        lastLineNanos = now;
        missing = 0;
        wrong = 0;
        return line;
    }
}
