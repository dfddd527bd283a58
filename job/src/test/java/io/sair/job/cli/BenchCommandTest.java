package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    void parsesTheGridOptions() {
        BenchCommand b = new BenchCommand();
        new CommandLine(b).parseArgs("--apps", "image,nlp", "--patterns", "burst", "--autoscalers", "hpa,sair",
                "--seeds", "2", "--requests", "5000", "--out", "x");
        var c = b.config();
        assertThat(c.apps()).containsExactly("image", "nlp");
        assertThat(c.patterns()).containsExactly("burst");
        assertThat(c.autoscalers()).containsExactly("hpa", "sair");
        assertThat(c.seeds()).isEqualTo(2);
        assertThat(c.requests()).isEqualTo(5000);
        assertThat(c.out()).isEqualTo(Path.of("x"));
    }

    @Test
    void defaultsAreTheFullGrid() {
        BenchCommand b = new BenchCommand();
        new CommandLine(b).parseArgs();
        assertThat(b.config().apps()).hasSize(4);
        assertThat(b.config().autoscalers()).containsExactlyElementsOf(List.of("static", "hpa", "vpa", "threshold", "kpa",
                "keda", "ray", "ds2", "sair"));
        assertThat(b.config().patterns()).containsExactly("poisson", "ramp", "burst", "flash", "regime", "diurnal");
        assertThat(b.config().frontier()).isFalse();
        new CommandLine(b).parseArgs("--frontier");
        assertThat(b.config().frontier()).isTrue();
        assertThat(b.config().requests()).isEqualTo(1_000_000);
        assertThat(b.config().seeds()).isEqualTo(3);
    }

    @Test
    void anUnknownAppIsOneClearLineAndANonZeroExit() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = SairCli.run("bench", "--apps", "movie", "--requests", "1000");
        } finally {
            System.setErr(saved);
        }
        assertThat(rc).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("sair: unknown app 'movie' (one of image, nlp, textgen, video, image-shared, nlp-shared, "
                        + "textgen-shared, video-shared, image-inplace, nlp-inplace, textgen-inplace, video-inplace, "
                        + "image-shared-inplace, nlp-shared-inplace, textgen-shared-inplace, video-shared-inplace)");
    }

    @Test
    void ingestReadsJsonUnlessAnOtlpFormatIsNamed() {
        BenchCommand b = new BenchCommand();
        new CommandLine(b).parseArgs("--ingest");
        assertThat(b.format).isEqualTo("json");
        new CommandLine(b).parseArgs("--ingest", "--format", "otlp_proto");
        assertThat(b.format).isEqualTo("otlp_proto");
    }

    @Test
    void anUnknownIngestFormatIsOneClearLineBeforeAnyBrokerStarts() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = SairCli.run("bench", "--ingest", "--format", "avro", "--records", "10");
        } finally {
            System.setErr(saved);
        }
        assertThat(rc).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("sair: --format must be json, otlp_proto or otlp_json, not 'avro'");
    }

    @Test
    void aBadNumberIsRejected() {
        assertThat(SairCli.run("bench", "--seeds", "many")).isNotZero();
    }
}
