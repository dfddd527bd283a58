package io.sair.connectors.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {

    private final Retry retry = new Retry(4, Duration.ofMillis(100), Duration.ofMillis(250));
    private final TestDecisions.TestingSleeper sleeper = new TestDecisions.TestingSleeper();

    private static Retry.Attempt<String> failing(AtomicInteger calls, int failures, Exception e) {
        return new Retry.Attempt<>() {
            @Override
            public String call() throws Exception {
                if (calls.incrementAndGet() <= failures) {
                    throw e;
                }
                return "ok";
            }

            @Override
            public boolean retryable(Exception ex) {
                return ex instanceof IOException;
            }
        };
    }

    @Test
    void backoffDoublesUpToTheCap() {
        assertThat(retry.backoffBefore(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(retry.backoffBefore(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(retry.backoffBefore(4)).isEqualTo(Duration.ofMillis(250));
        assertThat(retry.backoffBefore(30)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void retryableFailuresAreRetriedUntilSuccess() {
        AtomicInteger calls = new AtomicInteger();
        Retry.Result<String> r = retry.run(failing(calls, 2, new IOException("reset")), sleeper);

        assertThat(r.ok()).isTrue();
        assertThat(r.value()).isEqualTo("ok");
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(sleeper.slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void theAttemptsAreBoundedAndTheLastFailureKept() {
        AtomicInteger calls = new AtomicInteger();
        Retry.Result<String> r = retry.run(failing(calls, 10, new IOException("down")), sleeper);

        assertThat(r.ok()).isFalse();
        assertThat(r.attempts()).isEqualTo(4);
        assertThat(calls).hasValue(4);
        assertThat(r.failure()).hasMessage("down");
    }

    @Test
    void aFailureThatIsNotRetryableEndsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        Retry.Result<String> r = retry.run(failing(calls, 10, new IllegalArgumentException("bad")), sleeper);

        assertThat(r.attempts()).isEqualTo(1);
        assertThat(sleeper.slept).isEmpty();
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new Retry(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new Retry(2, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxBackoff");
    }
}
