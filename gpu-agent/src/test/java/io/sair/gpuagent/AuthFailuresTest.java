package io.sair.gpuagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthFailuresTest {

    @Test
    void countsEveryFailureAndLogsAtMostOneLinePerInterval() {
        long[] now = {0};
        CollectorRegistry registry = new CollectorRegistry();
        AuthFailures failures = new AuthFailures(registry, Duration.ofSeconds(60), () -> now[0]);
        assertThat(count(registry, "missing")).isZero();

        assertThat(failures.record(AuthFailures.Reason.MISSING, "10.0.0.7"))
                .isEqualTo("refused 1 request(s) for a missing (1) or wrong (0) bearer token; the latest from 10.0.0.7");
        for (int i = 0; i < 1_000; i++) {
            now[0] += 50_000_000L; // 20 a second for 50 s
            assertThat(failures.record(i % 4 == 0 ? AuthFailures.Reason.MISSING : AuthFailures.Reason.WRONG, "10.0.0.8"))
                    .isNull();
        }
        now[0] = Duration.ofSeconds(61).toNanos();
        assertThat(failures.record(AuthFailures.Reason.WRONG, "10.0.0.9")).isEqualTo(
                "refused 1001 request(s) for a missing (250) or wrong (751) bearer token in the last 61 s; "
                        + "the latest from 10.0.0.9");
        assertThat(count(registry, "missing")).isEqualTo(251);
        assertThat(count(registry, "wrong")).isEqualTo(751);
    }

    private static double count(CollectorRegistry registry, String reason) {
        return registry.getSampleValue("sair_gpu_agent_auth_failures_total", new String[] {"reason"}, new String[] {reason});
    }
}
