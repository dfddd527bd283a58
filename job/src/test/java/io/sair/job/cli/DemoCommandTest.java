package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code ./sair demo}: one clear line on stderr, a non-zero exit, no stack trace. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void keepTheTestLogging() {
        // The demo sends framework logs to its own file only when nothing configured log4j (the launcher).
        System.setProperty("log4j2.configurationFile", "log4j2-test.xml");
        // Set up logging now, while System.err is the real one: Kafka's client warnings stay out of the captured lines.
        LogManager.getLogger(DemoCommandTest.class);
    }

    static void assertOneLine(CliRun r, String expected) {
        assertThat(r.rc()).isNotZero();
        assertThat(r.err().strip()).isEqualTo(expected);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void anUnknownApp() {
        assertOneLine(CliRun.of("demo", "--app", "movie", "--out", dir.toString()),
                "sair: unknown app 'movie' (one of [image, nlp, textgen, video])");
    }

    @Test
    void anUnknownPattern() {
        assertOneLine(CliRun.of("demo", "--pattern", "tsunami", "--out", dir.toString()),
                "sair: unknown pattern 'tsunami' (one of [poisson, ramp, burst, flash, regime, diurnal, trace])");
    }

    @Test
    void aMissingTraceFile() {
        Path missing = dir.resolve("nope.csv");
        assertOneLine(CliRun.of("demo", "--trace", missing.toString(), "--out", dir.toString()),
                "sair: --trace: cannot read " + missing);
    }

    @Test
    void aTraceThatIsNotATrace() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "TIMESTAMP\nyesterday\n");
        CliRun r = CliRun.of("demo", "--trace", bad.toString(), "--out", dir.toString());
        assertThat(r.rc()).isNotZero();
        assertThat(r.err().strip()).startsWith("sair: --trace " + bad + ": ").doesNotContain("\n");
    }

    @Test
    void badRounds() {
        assertOneLine(CliRun.of("demo", "--rounds", "0", "--out", dir.toString()), "sair: --rounds must be in 2..10000, got 0");
        assertOneLine(CliRun.of("demo", "--rounds", "many"),
                "sair demo: Invalid value for option '--rounds': 'many' is not an int (see --help)");
        assertOneLine(CliRun.of("demo", "--speedup", "-2", "--out", dir.toString()),
                "sair: --speedup must be 0 (unpaced) or a positive factor, got -2.0");
    }

    @Test
    void anOutputPathThatIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        assertOneLine(CliRun.of("demo", "--rounds", "2", "--out", file.toString()),
                "sair: --out " + file + " exists and is not a directory");
    }

    @Test
    void aKafkaPortInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            assertOneLine(CliRun.of("demo", "--kafka-port", String.valueOf(port), "--rounds", "2", "--out", dir.toString()),
                    "sair: Kafka port " + port + " on 127.0.0.1 is in use (pick another with --kafka-port, or 0 for any "
                            + "free port)");
        }
    }

    @Test
    void anUnreachableKafka() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free again once closed: nothing listens there
        }
        assertOneLine(CliRun.of("demo", "--bootstrap-servers", "127.0.0.1:" + port, "--rounds", "2", "--out", dir.toString()),
                "sair: cannot reach Kafka at 127.0.0.1:" + port + " within 5 s");
    }
}
