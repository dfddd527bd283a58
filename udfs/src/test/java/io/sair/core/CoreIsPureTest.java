package io.sair.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core must stay plain Java: no Flink, Kafka, HTTP or wall-clock reads outside the flink wrapper package;
 * and its parts (the sub-packages) never reach back up into the round that uses them.
 */
class CoreIsPureTest {

    private static final List<String> FORBIDDEN = List.of("import org.apache.flink", "import org.apache.kafka",
            "import java.net.http", "import io.fabric8", "import dev.langchain4j", "System.currentTimeMillis",
            "Instant.now", "System.nanoTime", "LocalDateTime.now");

    @Test
    void coreSourcesImportNoInfrastructure() throws IOException {
        Path core = Path.of("src/main/java/io/sair/core");
        assertThat(core).isDirectory();
        try (Stream<Path> files = Files.walk(core)) {
            List<String> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(p -> {
                        try {
                            String src = Files.readString(p);
                            return FORBIDDEN.stream().filter(src::contains).map(f -> p + ": " + f);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }

    @Test
    void noPartOfTheCoreImportsTheRoundAboveIt() throws IOException {
        Path core = Path.of("src/main/java/io/sair/core");
        java.util.regex.Pattern upward = java.util.regex.Pattern.compile("(?m)^import (static )?io\\.sair\\.core\\.[A-Z]\\w*");
        try (Stream<Path> files = Files.walk(core)) {
            List<String> offenders = files.filter(p -> p.toString().endsWith(".java") && !p.getParent().equals(core))
                    .flatMap(p -> {
                        try {
                            return upward.matcher(Files.readString(p)).results().map(m -> core.relativize(p) + ": " + m.group());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }
}
