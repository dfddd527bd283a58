package io.sair.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.sim.loop.RunResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellsCsvTest {

    static RunResult run(String autoscaler, long seed, double violationPct, double p99, double billable) {
        return new RunResult("image", "burst", autoscaler, seed, 1000, 10, p99, violationPct, 80, billable, billable, 3,
                4, 0, 0, 100, 0.1, null);
    }

    static RunExtras extras(double oracleBillable, double surgeS) {
        return new RunExtras(0.001, 100, 0.2, oracleBillable, 100, "busy <= 70%", 1, surgeS, 0, 5, 8);
    }

    @Test
    void oneRowPerCellWithMeansAndIntervalsOverSeeds() {
        List<Summary.Row> rows = Summary.rows(
                List.of(run("sair", 1, 1, 100, 0.02), run("sair", 2, 3, 300, 0.04), run("hpa", 1, 0, 50, 0.03)),
                List.of(extras(0.01, 20), extras(0.02, 40), extras(Double.NaN, 60)),
                List.of(run("oracle", 1, 0, 40, 0.01)), List.of("busy <= 70%"), List.of(extras(0.01, 0)));
        List<String> lines = CellsCsv.render(rows).lines().toList();
        assertThat(lines.get(0)).isEqualTo(CellsCsv.HEADER);
        // sair: within 99 and 97 -> 98 +- 12.706 x 1; p99 200 +- 12.706 x 100; cost gap 2 on both seeds.
        assertThat(lines.get(1)).isEqualTo("image,burst,sair,2,98.0000,12.7060,200.000,1270.600,0.030000,0.127060,"
                + "2.0000,30.0,8.0");
        // One seed: no interval; no oracle reached its share: no gap.
        assertThat(lines.get(2)).isEqualTo("image,burst,hpa,1,100.0000,,50.000,,0.030000,,,60.0,8.0");
        assertThat(lines.get(3)).startsWith("image,burst,oracle@busy <= 70%,1,100.0000,");
        assertThat(lines).hasSize(4);
    }
}
