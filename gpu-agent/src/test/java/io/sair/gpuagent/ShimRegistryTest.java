package io.sair.gpuagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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
    void tellsApartProcessesWithTheSamePidInDifferentContainers() throws IOException {
        // Two inference pods on one node: each container numbers its processes from 1.
        try (TestingShim a = new TestingShim(dir, 4026532001L, 1, "p/infer/pod-a");
                TestingShim b = new TestingShim(dir, 4026532002L, 1, "p/infer/pod-b")) {
            ShimRegistry registry = new ShimRegistry(dir, Duration.ofSeconds(1));

            assertThat(registry.refresh()).extracting(ShimStats::id, ShimStats::workload)
                    .containsExactly(tuple("4026532001-1", "p/infer/pod-a"), tuple("4026532002-1", "p/infer/pod-b"));
            assertThat(registry.setRate("p/infer/pod-b", 0.3)).containsExactly(1L);
            assertThat(a.rate).isEqualTo(1.0);
            assertThat(b.rate).isEqualTo(0.3);
        }
    }

    @Test
    void dropsDeadShimsAndTheirStaleSockets() throws IOException {
        ShimRegistry registry = new ShimRegistry(dir, Duration.ofMillis(500));
        TestingShim gone = new TestingShim(dir, 999_994, "w");
        assertThat(registry.refresh()).hasSize(1);

        gone.close();
        Path stale = Files.createFile(gone.socket); // a stale file, as a killed process leaves

        assertThat(registry.refresh()).isEmpty();
        assertThat(stale).doesNotExist(); // nothing listened there: the connection was refused
    }

    @Test
    void keepsTheSocketOfAShimThatIsSlowToAnswer() throws IOException {
        try (TestingShim slow = new TestingShim(dir, 999_996, "w")) {
            slow.answer = line -> null; // listens, never replies
            ShimRegistry registry = new ShimRegistry(dir, Duration.ofMillis(500));

            assertThat(registry.refresh()).isEmpty();
            assertThat(slow.socket).exists(); // alive, perhaps busy: it is asked again next scan

            slow.answer = null;
            assertThat(registry.refresh()).extracting(ShimStats::pid).containsExactly(999_996L);
        }
    }

    @Test
    void ignoresFilesThatAreNotShimSockets() throws IOException {
        Files.createFile(dir.resolve("1234.sock")); // the pid-only name: not what a shim writes
        Files.createFile(dir.resolve(".4026531836-5.sock.tmp")); // a shim between bind and rename
        ShimRegistry registry = new ShimRegistry(dir, Duration.ofMillis(200));

        assertThat(registry.refresh()).isEmpty();
        assertThat(dir.resolve("1234.sock")).exists();
        assertThat(dir.resolve(".4026531836-5.sock.tmp")).exists();
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
