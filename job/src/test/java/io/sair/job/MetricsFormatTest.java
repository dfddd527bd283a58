package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sair.metrics.format and sair.otlp.mapping are checked when the job is wired, not on the task managers. */
class MetricsFormatTest {

    @Test
    void theMappingComesInlineOrFromAFileAndABadOneFailsTheSubmission(@TempDir Path dir) throws Exception {
        Configuration c = new Configuration();
        assertThat(SairJobMain.otlpMapping(c).stage()).contains("service.name");
        c.set(SairOptions.OTLP_MAPPING, "{\"stage\": [\"app.stage\"]}");
        assertThat(SairJobMain.otlpMapping(c).stage()).containsExactly("app.stage");
        Path f = dir.resolve("mapping.json");
        Files.writeString(f, "{\"pipeline\": [\"k8s.namespace.name\"]}");
        c.set(SairOptions.OTLP_MAPPING, "@" + f);
        assertThat(SairJobMain.otlpMapping(c).pipeline()).containsExactly("k8s.namespace.name");
        c.set(SairOptions.OTLP_MAPPING, "{\"pipeline\": []}");
        assertThatThrownBy(() -> SairJobMain.otlpMapping(c)).hasMessageContaining("pipeline:");
        c.set(SairOptions.OTLP_MAPPING, "@" + dir.resolve("missing.json"));
        assertThatThrownBy(() -> SairJobMain.otlpMapping(c)).hasMessageContaining("cannot read");
    }

    @Test
    void anUnknownFormatIsRefused() {
        Configuration c = new Configuration();
        c.set(SairOptions.METRICS_FORMAT, "otlp_json");
        assertThat(SairJobMain.metricsSource(c, new Properties())).isNotNull();
        c.set(SairOptions.METRICS_FORMAT, "avro");
        assertThatThrownBy(() -> SairJobMain.metricsSource(c, new Properties())).hasMessageContaining("json, otlp_proto or otlp_json");
    }
}
