package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sair state} in its own JVM, as the launcher runs it, with a temp directory of its own: once it
 * has printed what the savepoint holds and exited, nothing of its local Flink cluster is left there
 * (it used to leave a {@code minicluster_*} directory per run).
 */
class StateLeavesNoTempFilesITCase {

    @Test
    void aStateRunLeavesNothingInTheTempDirectory(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path savepoint = Path.of(StateLeavesNoTempFilesITCase.class.getResource("/golden-savepoints/v1").toURI());
        SairProcess r = SairProcess.run(dir, Map.of(), List.of("-Djava.io.tmpdir=" + tmp), 120,
                "state", "--savepoint", savepoint.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("experiences");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).as("left in the temp directory").isEmpty();
        }
    }
}
