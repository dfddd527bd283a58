package io.sair.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleListTest {

    @Test
    void itIsTheListItHolds() throws Exception {
        SampleList s = SampleList.ofMs(new double[] {1.25, 0.0, 300.504, 99.0}, 3);
        assertThat(s).isEqualTo(List.of(1.25, 0.0, 300.5)).hasSize(3);
        assertThat(s.hundredths(2)).isEqualTo(30050);
        // On the wire (a plant behind Kafka), as any list of numbers.
        assertThat(Json.MAPPER.writeValueAsString(s)).isEqualTo(Json.MAPPER.writeValueAsString(List.of(1.25, 0.0, 300.5)));
    }

    @Test
    void itsSamplesAreTheTwoDecimalsAReportCarries() {
        double[] ms = {0.004, 0.005, 0.015, 1.005, 12.345, 99.999, 2_999_999.994, 7.1e9, 0.0};
        SampleList s = SampleList.ofMs(ms, ms.length);
        for (int i = 0; i < ms.length; i++) {
            assertThat(s.get(i)).isEqualTo(Math.round(ms[i] * 100.0) / 100.0);
            assertThat(LatencyHistograms.clampUs(Math.min(s.hundredths(i), LatencyHistograms.HIGHEST_US) * 10))
                    .isEqualTo(LatencyHistograms.toUs(s.get(i)));
        }
    }
}
