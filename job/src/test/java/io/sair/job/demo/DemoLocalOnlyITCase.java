package io.sair.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.job.cli.CliRun;
import io.sair.job.local.ListeningSockets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a running demo opens on this machine: every socket it listens on (the broker's, the controller's,
 * Flink's REST endpoint, the blob server, ...) is on loopback, the broker on the port it was given, and
 * RocksDB works in a directory of this run's own that is gone afterwards.
 */
class DemoLocalOnlyITCase {

    @BeforeAll
    static void keepTheTestLogging() {
        System.setProperty("log4j2.configurationFile", "log4j2-test.xml");
    }

    @Test
    void everyListenerIsOnLoopbackTheBrokerOnItsPortAndRocksDbInItsOwnDirectory(@TempDir Path dir) throws Exception {
        int port = freeLoopbackPort();
        Set<InetSocketAddress> before = ListeningSockets.ofThisProcess();
        Set<InetSocketAddress> seen = ConcurrentHashMap.newKeySet();
        Set<Path> rocksDbDirs = ConcurrentHashMap.newKeySet();
        DemoConfig cfg = DemoConfig.of("image", null, null, 3, 0, dir.resolve("demo"), null, port, 1);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoRun run = new DemoRun(cfg, new PrintStream(printed, true, StandardCharsets.UTF_8), false);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> {
            try {
                seen.addAll(ListeningSockets.ofThisProcess());
                rocksDbDirs.addAll(openRocksDbDirs());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        DemoResult result;
        try {
            result = run.run();
        } finally {
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            run.close();
        }
        assertThat(result.rounds()).isNotEmpty();
        // The best production baseline ran on the same requests and is shown by name and setting.
        BaselineRun best = result.baselines().best();
        assertThat(best.name()).isIn(Baselines.NAMES);
        assertThat(best.setting()).isNotBlank();
        assertThat(best.figures().requests()).isEqualTo(result.staticAllocation().requests());
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("Best baseline on the same requests: " + best.name() + " (" + best.setting() + ")");
        assertThat(Files.readString(result.report())).contains("SAIR next to static allocation and the best baseline")
                .contains("<td class=\"l\">" + best.name() + "</td>");

        seen.removeAll(before);
        assertThat(seen).as("the broker listens on the port it was given, on loopback")
                .contains(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        // Broker, controller, Flink's REST endpoint and blob server at least.
        assertThat(seen).as("listeners of the demo").hasSizeGreaterThanOrEqualTo(4);
        assertThat(seen).as("listeners of the demo").allSatisfy(a ->
                assertThat(a.getAddress().isLoopbackAddress()).as("%s is on loopback", a).isTrue());

        assertThat(rocksDbDirs).as("RocksDB's working directory while the job ran").isNotEmpty()
                .noneMatch(d -> d.startsWith("/tmp/sair-rocksdb"));
        assertThat(rocksDbDirs).as("RocksDB's working directory after the demo").noneMatch(Files::exists);
    }

    @Test
    void aKafkaPortTakenOnAnyInterfaceIsOneLine(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) { // the wildcard address, as another broker would
            int port = taken.getLocalPort();
            CliRun r = CliRun.of("demo", "--kafka-port", String.valueOf(port), "--rounds", "2", "--out", dir.toString());
            assertThat(r.rc()).isNotZero();
            assertThat(r.err().strip()).isEqualTo("sair: Kafka port " + port + " on 127.0.0.1 is in use (pick another with "
                    + "--kafka-port, or 0 for any free port)");
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * The local directories of the RocksDB instances this JVM has files open in: RocksDB keeps its LOCK
     * file open, at {@code <local dir>/job_<id>_op_<operator>/db/LOCK}.
     */
    private static Set<Path> openRocksDbDirs() throws IOException {
        Set<Path> out = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                Path target;
                try {
                    target = Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (target.getFileName() != null && target.getFileName().toString().equals("LOCK")
                        && target.getParent() != null && target.getParent().getFileName().toString().equals("db")) {
                    Path instance = target.getParent().getParent();
                    if (instance.getFileName().toString().startsWith("job_")) {
                        out.add(instance.getParent());
                    }
                }
            }
        }
        return out;
    }
}
