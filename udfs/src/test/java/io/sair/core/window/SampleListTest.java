package io.sair.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleListTest {

    @Test
    void itIsTheListItHolds() throws Exception {
        SampleList s = new SampleList(new double[] {1.25, 0.0, 300.5});
        assertThat(s).isEqualTo(List.of(1.25, 0.0, 300.5)).hasSize(3);
        assertThat(s.at(2)).isEqualTo(300.5);
        // On the wire (a plant behind Kafka), as any list of numbers.
        assertThat(Json.MAPPER.writeValueAsString(s)).isEqualTo(Json.MAPPER.writeValueAsString(List.of(1.25, 0.0, 300.5)));
    }
}
