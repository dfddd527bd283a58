package io.sair.connectors.actuate;

import java.io.Serializable;
import java.time.Duration;

/**
 * Bounded retries with exponential backoff for one API call: the one retry policy of the outside calls
 * (the actuators' Kubernetes and GPU agent calls, the LLM client's). Which failures are worth another try
 * is the caller's call ({@link Attempt#retryable}); the sleep is injected so tests do not wait.
 *
 * @param maxAttempts attempts in all, the first included (1 = no retry)
 * @param initialBackoff wait before the second attempt; doubles each time up to {@code maxBackoff}
 */
public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) implements Serializable {

    public Retry {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
        }
    }

    public static Retry defaults() {
        return new Retry(4, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    /** Waits between attempts; {@link #REAL} sleeps the calling thread. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = d -> Thread.sleep(d.toMillis());

        void sleep(Duration d) throws InterruptedException;
    }

    /** One call that may fail; {@link Attempt#retryable} says whether a failure deserves another try. */
    public interface Attempt<T> {
        T call() throws Exception;

        boolean retryable(Exception e);
    }

    /** What the call returned, or its last failure, and how many attempts it took. */
    public record Result<T>(T value, Exception failure, int attempts) {
        public boolean ok() {
            return failure == null;
        }
    }

    /** Backoff before attempt {@code n} (n >= 2). */
    public Duration backoffBefore(int n) {
        long ms = initialBackoff.toMillis();
        for (int i = 2; i < n && ms < maxBackoff.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }

    /** Runs the attempt until it succeeds, fails for good, or the attempts are used up. Never throws. */
    public <T> Result<T> run(Attempt<T> attempt, Sleeper sleeper) {
        Exception last = null;
        for (int n = 1; n <= maxAttempts; n++) {
            if (n > 1) {
                try {
                    sleeper.sleep(backoffBefore(n));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Result<>(null, e, n - 1);
                }
            }
            try {
                return new Result<>(attempt.call(), null, n);
            } catch (Exception e) {
                last = e;
                if (!attempt.retryable(e)) {
                    return new Result<>(null, e, n);
                }
            }
        }
        return new Result<>(null, last, maxAttempts);
    }
}
