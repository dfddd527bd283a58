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
        Matcher m = Pattern.compile("published ([\\d,]+) decisions and ([\\d,]+) dead letters").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        // 100 rounds of 5 s = 500 s of event time: 16 full windows per pipeline, the last fired at the end of input.
        assertThat(Long.parseLong(m.group(1).replace(",", ""))).isGreaterThanOrEqualTo(2 * 15);
        assertThat(m.group(2)).isEqualTo("0");
    }
}
