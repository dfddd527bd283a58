package io.sair.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.sim.workload.RateShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Moving the specs to the example files and the models to named builders changed no number the simulator takes. */
class AppProfilesMigrationTest {

    @Test
    void everyProfileIsTheSameAsTheOldPositionalOne() {
        List<AppProfile> old = List.of(LegacyAppProfiles.image(), LegacyAppProfiles.nlp(), LegacyAppProfiles.textgen(),
                LegacyAppProfiles.video());
        List<AppProfile> now = List.of(AppProfiles.image(), AppProfiles.nlp(), AppProfiles.textgen(), AppProfiles.video());
        for (int i = 0; i < old.size(); i++) {
            AppProfile a = old.get(i);
            AppProfile b = now.get(i);
            assertThat(b.spec()).as(a.name()).isEqualTo(a.spec());
            assertThat(b.models()).as(a.name()).isEqualTo(a.models());
            assertThat(List.of(b.name(), b.title(), b.u(), b.g(), b.meanRate(), b.traceWork()))
                    .isEqualTo(List.of(a.name(), a.title(), a.u(), a.g(), a.meanRate(), a.traceWork()));
            for (String p : List.of("poisson", "ramp", "burst")) {
                RateShape x = a.pattern(p);
                RateShape y = b.pattern(p);
                assertThat(y.describe()).isEqualTo(x.describe());
                assertThat(y.maxRate()).isEqualTo(x.maxRate());
                assertThat(y.meanRate()).isEqualTo(x.meanRate());
                for (long t = 0; t <= 120 * 60_000; t += 7_000) {
                    assertThat(y.rate(t)).isEqualTo(x.rate(t));
                }
            }
        }
    }
}
