package io.sair.gpuagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShimRegistryTest {
    @TempDir
    Path dir;

    @Test
    void findsShimsAndSetsTheRateOfEveryProcessOfAWorkload() throws IOException {
        try (TestingShim a = new TestingShim(dir, 999_991, "p/infer/pod-0");
                TestingShim b = new TestingShim(dir, 999_992, "p/infer/pod-0");
                TestingShim c = new TestingShim(dir, 999_993, "other")) {
            Files.writeString(dir.resolve("not-a-shim.txt"), "x");
            ShimRegistry registry = new ShimRegistry(dir, Duration.ofSeconds(1));

            assertThat(registry.refresh()).extracting(ShimStats::pid).containsExactly(999_991L, 999_992L, 999_993L);
            assertThat(registry.setRate("p/infer/pod-0", 0.4)).containsExactly(999_991L, 999_992L);
            assertThat(a.rate).isEqualTo(0.4);
            assertThat(b.rate).isEqualTo(0.4);
            assertThat(c.rate).isEqualTo(1.0);
            assertThat(registry.snapshot()).filteredOn(s -> s.workload().equals("p/infer/pod-0"))
                    .extracting(ShimStats::rate).containsOnly(0.4);
            assertThat(registry.setRate("nobody", 0.4)).isEmpty();
        }
    }

    @Test
    void dropsDeadShimsAndTheirStaleSockets() throws IOException {
        ShimRegistry registry = new ShimRegistry(dir, Duration.ofMillis(500));
        TestingShim gone = new TestingShim(dir, 999_994, "w");
        assertThat(registry.refresh()).hasSize(1);

        gone.close();
        Files.createFile(dir.resolve("999994.sock")); // a stale file, as a killed process leaves

        assertThat(registry.refresh()).isEmpty();
        assertThat(dir.resolve("999994.sock")).doesNotExist(); // pid 999994 is not a live process
    }

    @Test
    void findsAShimThatAppearsLater() throws IOException {
        ShimRegistry registry = new ShimRegistry(dir, Duration.ofSeconds(1));
        assertThat(registry.refresh()).isEmpty();
        try (TestingShim late = new TestingShim(dir, 999_995, "late")) {
            assertThat(registry.setRate("late", 0.5)).containsExactly(999_995L); // unknown -> one rescan
        }
    }
}
