package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./sair pipelines} without a broker: validation, and one clear line for every bad input. */
class PipelinesCommandTest {

    static final String EXAMPLE = "src/main/resources/examples/image-classification.yaml";

    static void assertOneLineError(CliRun run, String expected) {
        assertThat(run.rc()).isNotZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
        assertThat(run.err().strip()).startsWith(expected).doesNotContain("Exception");
    }

    @Test
    void aValidSpecIsSummarised() {
        CliRun run = CliRun.of("pipelines", "validate", "-f", EXAMPLE);
        assertThat(run.rc()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().strip()).isEqualTo("valid: image-classification: 3 stages (preprocess -> inference -> "
                + "postprocess), SLA p99 150 ms, selector builtin, mode enforce");
    }

    @Test
    void anInvalidSpecNamesTheField(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), Files.readString(Path.of(EXAMPLE))
                .replace("maxReplicas: 4", "maxReplicas: 0"));
        assertOneLineError(CliRun.of("pipelines", "validate", "-f", f.toString()),
                "sair: " + f + ": invalid spec: stages[1].limits: need 0 <= minReplicas <= maxReplicas");
    }

    @Test
    void badYamlAndAMissingFileAreOneLine(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("broken.yaml"), "name: x\nstages: [\n");
        assertOneLineError(CliRun.of("pipelines", "validate", "-f", f.toString()), "sair: " + f + ": not valid YAML: ");
        assertOneLineError(CliRun.of("pipelines", "validate", "-f", dir.resolve("none.yaml").toString()),
                "sair: " + dir.resolve("none.yaml") + ": no such file");
    }

    @Test
    void aBadSpecIsNeverSentToKafka(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), "name: x\nslaP99Ms: 100\nstages: []\n");
        // No broker at this address: the spec is refused before Kafka is asked anything.
        assertOneLineError(CliRun.of("pipelines", "publish", "-f", f.toString(), "--bootstrap-servers",
                "127.0.0.1:1"), "sair: " + f + ": invalid spec: stages: at least one stage is required");
    }

    @Test
    void anUnreachableBrokerIsOneLineWithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        long start = System.nanoTime();
        CliRun run = CliRun.of("pipelines", "publish", "-f", EXAMPLE, "--bootstrap-servers", "127.0.0.1:" + port,
                "--timeout", "2");
        assertOneLineError(run, "sair: no Kafka broker answered at 127.0.0.1:" + port + " within 2 s");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);
    }

    @Test
    void aMalformedBootstrapAddressIsOneLine() {
        assertOneLineError(CliRun.of("pipelines", "publish", "-f", EXAMPLE, "--bootstrap-servers", "no-port-here"),
                "sair: cannot talk to Kafka at 'no-port-here': ");
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertThat(CliRun.of("pipelines", "publish", "-f", EXAMPLE).rc()).isNotZero();
        assertThat(CliRun.of("pipelines", "validate").rc()).isNotZero();
        assertThat(CliRun.of("pipelines").rc()).isNotZero();
        assertOneLineError(CliRun.of("pipelines", "publish", "-f", EXAMPLE, "--bootstrap-servers", "h:1", "--timeout",
                "0"), "sair: --timeout must be at least 1 second");
    }
}
