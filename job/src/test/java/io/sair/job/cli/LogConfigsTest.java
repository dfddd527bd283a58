package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.InternalSinkCommitterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.runtime.operators.sink.committables.CommittableCollector;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each log configuration we ship (the demo's, the CLI's, the cluster's) drops the warning Flink 2.2 logs
 * at every checkpoint of every sink with a committer (the Kafka sinks): its committer registers its
 * pendingCommittables gauge again each time it copies its state (FLINK-35321, fixed in a later Flink),
 * and keeps every other metric-name collision.
 */
class LogConfigsTest {

    @TempDir
    Path dir;

    static Stream<String> configs() {
        return Stream.of("classpath:log4j2-demo.xml", "classpath:log4j2.xml", "../flink-conf/log4j-console.properties");
    }

    @ParameterizedTest
    @MethodSource("configs")
    void theCommittersRepeatedGaugeIsDroppedAndOtherCollisionsKept(String config) throws Exception {
        System.setProperty("sair.demo.log", dir.resolve("demo.log").toString());
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        URI before = ctx.getConfigLocation();
        StringWriter logged = new StringWriter();
        try {
            ctx.setConfigLocation(location(config));
            // Beside the configuration's own appenders: it sees what the configuration's loggers let through.
            Appender capture = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%m%n").build(), null,
                    logged, "capture", false, true);
            capture.start();
            ctx.getConfiguration().getRootLogger().addAppender(capture, null, null);
            ctx.updateLoggers();

            InternalOperatorMetricGroup operator = UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup();
            // What a Kafka sink's committer does at each checkpoint: copy its collector for the snapshot.
            CommittableCollector<Object> collector = CommittableCollector.of(InternalSinkCommitterMetricGroup.wrap(operator));
            collector.copy();
            collector.copy();
            // Any other collision still shows.
            Gauge<Integer> g = () -> 1;
            operator.gauge("sairTestMetric", g);
            operator.gauge("sairTestMetric", g);
        } finally {
            ctx.setConfigLocation(before);
        }
        assertThat(logged.toString()).contains("Name collision: Group already contains a Metric with the name 'sairTestMetric'")
                .doesNotContain("pendingCommittables");
    }

    private static URI location(String config) throws Exception {
        if (config.startsWith("classpath:")) {
            return LogConfigsTest.class.getResource("/" + config.substring("classpath:".length())).toURI();
        }
        return Path.of(config).toAbsolutePath().normalize().toUri();
    }
}
