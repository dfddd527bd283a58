package io.sair.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The ingest benchmark on a few records: both readers see every record, and the job decides on them. */
class IngestBenchITCase {

    @Test
    void bothReadersConsumeEveryRecordAndTheJobDecides() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new IngestBench(600, 2, 1, new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("600 StageMetrics records", "plain Kafka consumer", "the SAIR job on a MiniCluster");
        assertEveryWindowDecidedAndNothingDeadLettered(out);
    }

    /**
     * The same reports as OTLP export requests: the plain loop maps every one of them (it throws on a refused
     * point or report), and the job reading them with that format decides every window.
     */
    @Test
    void theSameReportsAsOtlpAreMappedAndDecided() throws Exception {
        // otlp_json differs only in the encoding, which OtlpReportsTest covers (each run here takes ~10 s).
        String format = "otlp_proto";
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new IngestBench(600, 2, 1, format, new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        String out = buf.toString(StandardCharsets.UTF_8);
        // 2 pipelines x 3 stages per period: 100 periods, each pipeline's period one export request.
        assertThat(out).contains("ingest " + format + ": 600 StageMetrics records", "in 200 OTLP export requests",
                "plain Kafka consumer, " + format + " decode + map + field checks", "the SAIR job on a MiniCluster");
        Matcher bytes = Pattern.compile("bytes per report: " + format + " ([\\d,]+), json ([\\d,]+)").matcher(out);
        assertThat(bytes.find()).as(out).isTrue();
        assertThat(Long.parseLong(bytes.group(1).replace(",", ""))).isPositive();
        assertEveryWindowDecidedAndNothingDeadLettered(out);
    }

    private static void assertEveryWindowDecidedAndNothingDeadLettered(String out) {
        Matcher m = Pattern.compile("published ([\\d,]+) decisions and ([\\d,]+) dead letters").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        // 100 rounds of 5 s = 500 s of event time: on each pipeline's own grid (staggered windows) 17 or 18
        // windows, the first and last partial ones fired at the end of input; every one decided once.
        long decisions = Long.parseLong(m.group(1).replace(",", ""));
        Matcher windows = Pattern.compile("windows to decide: ([\\d,]+)").matcher(out);
        assertThat(windows.find()).as(out).isTrue();
        assertThat(decisions).as(out).isEqualTo(Long.parseLong(windows.group(1).replace(",", ""))).isBetween(2L * 17, 2L * 18);
        assertThat(m.group(2)).as(out).isEqualTo("0");
    }
}
