package io.sair.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The documented forms of job arguments: {@code --key value} and {@code --key=value}. */
class ParseArgsTest {

    @Test
    void bothFormsSetOptions() {
        Configuration c = SairJobMain.parseArgs(new String[] {
            "--sair.window.size", "10s", "--sair.kafka.group-id=g1", "--sair.otlp.mapping=@a=b.json",
            "--sair.max-parallelism", "64"});
        assertThat(c.get(SairOptions.WINDOW)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.get(SairOptions.GROUP_ID)).isEqualTo("g1");
        assertThat(c.get(SairOptions.OTLP_MAPPING)).isEqualTo("@a=b.json");
        assertThat(c.get(SairOptions.MAX_PARALLELISM)).isEqualTo(64);
    }

    @Test
    void anEmptyValueIsAValue() {
        assertThat(SairJobMain.parseArgs(new String[] {"--sair.kubernetes.autoscalers.namespace="})
                .get(SairOptions.KUBE_AUTOSCALERS_NAMESPACE)).isEmpty();
    }

    @Test
    void aKeyWithoutValueOrAStrayWordIsRejected() {
        assertThatThrownBy(() -> SairJobMain.parseArgs(new String[] {"--sair.window.size"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sair.window.size");
        assertThatThrownBy(() -> SairJobMain.parseArgs(new String[] {"sair.window.size", "10s"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
