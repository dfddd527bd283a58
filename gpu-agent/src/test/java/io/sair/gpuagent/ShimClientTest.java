package io.sair.gpuagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShimClientTest {
    @TempDir
    Path dir;

    @Test
    void readsStatsAndSetsTheRate() throws IOException {
        try (TestingShim shim = new TestingShim(dir, 4242, "p/s/pod-0")) {
            shim.launches = 7;
            shim.blocks = 700;
            ShimClient client = new ShimClient(shim.socket, Duration.ofSeconds(1));

            assertThat(client.stats()).isEqualTo(new ShimStats(TestingShim.NS + "-4242", 4242, "p/s/pod-0", 1.0, 7, 700, 0));
            assertThat(client.setRate(0.25)).isEqualTo(0.25);
            assertThat(shim.received()).containsExactly("SAIR/1 STATS", "SAIR/1 RATE 0.25");
        }
    }

    @Test
    void anErrReplyBecomesAShimException() throws IOException {
        try (TestingShim shim = new TestingShim(dir, 1, "w")) {
            shim.answer = line -> "SAIR/1 ERR rate outside [0.1, 1]";
            ShimClient client = new ShimClient(shim.socket, Duration.ofSeconds(1));

            assertThatThrownBy(() -> client.setRate(0.5)).isInstanceOf(ShimException.class)
                    .hasMessage("rate outside [0.1, 1]");
        }
    }

    @Test
    void aSilentShimTimesOut() throws IOException {
        try (TestingShim shim = new TestingShim(dir, 1, "w")) {
            shim.answer = line -> null;
            ShimClient client = new ShimClient(shim.socket, Duration.ofMillis(200));

            assertThatThrownBy(client::stats).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aMissingSocketIsAnIoError() {
        ShimClient client = new ShimClient(dir.resolve("99.sock"), Duration.ofMillis(200));

        assertThatThrownBy(client::stats).isInstanceOf(IOException.class);
    }

    @Test
    void parsesStatsAndRefusesOtherReplies() throws ShimException {
        assertThat(ShimStats.parse("9-4", "SAIR/1 OK rate=0.5 launches=1 blocks=2 throttled_ns=3 pid=4 workload=a/b/c"))
                .isEqualTo(new ShimStats("9-4", 4, "a/b/c", 0.5, 1, 2, 3));
        assertThatThrownBy(() -> ShimStats.parse("9-4", "SAIR/2 OK rate=1")).isInstanceOf(ShimException.class);
        assertThatThrownBy(() -> ShimStats.parse("9-4", "SAIR/1 OK rate=1 pid=4")).isInstanceOf(ShimException.class)
                .hasMessageContaining("without");
        assertThatThrownBy(() -> ShimStats.parse("9-4", "SAIR/1 OK rate=x launches=1 blocks=2 throttled_ns=3 pid=4 workload=w"))
                .isInstanceOf(ShimException.class);
    }
}
