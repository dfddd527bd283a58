package io.sair.job.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sair.connectors.actuate.Retry;
import io.sair.connectors.feed.KafkaReportSink;
import io.sair.connectors.feed.ReportLoop;
import io.sair.connectors.k8s.KubeClients;
import io.sair.connectors.k8smetrics.PodMetricsReader;
import io.sair.connectors.lag.ConsumerLagReader;
import io.sair.core.model.PipelineSpec;
import io.sair.job.spec.SpecFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./sair feed}: readers that publish partial StageMetrics to the metrics topic beside the pipelines' own. */
@Command(name = "feed", mixinStandardHelpOptions = true,
        description = "Publish what SAIR can read without the pipelines' help to the metrics topic: consumer-group lag "
                + "as queue depth, or CPU and memory from the Kubernetes metrics API.",
        subcommands = {FeedCommand.Lag.class, FeedCommand.K8sMetrics.class})
final class FeedCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 2;
    }

    /** The specs to read for and where reports go, and how often. */
    static final class Common {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "Pipeline spec files (YAML, or JSON when it ends in .json), as published to the job.")
        List<Path> files;

        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
                description = "Kafka bootstrap servers of the job's metrics topic.")
        String bootstrap;

        @Option(names = "--topic", defaultValue = "sair.metrics", paramLabel = "TOPIC",
                description = "The job's metrics topic (default: ${DEFAULT-VALUE}).")
        String topic;

        @Option(names = "--period", defaultValue = "5", paramLabel = "SECONDS",
                description = "Report cadence (default: ${DEFAULT-VALUE}, as the pipelines' reporters).")
        int periodSeconds;

        @Option(names = "--polls", defaultValue = "0", paramLabel = "N",
                description = "Stop after N polls (default: run until stopped).")
        int polls;

        List<PipelineSpec> specs() {
            if (periodSeconds < 1) {
                throw new IllegalArgumentException("--period must be at least 1 second");
            }
            return files.stream().map(f -> SpecFiles.load(f, PipelinesCommand.MAX_RECORD_BYTES).spec()).toList();
        }

        void run(java.util.concurrent.Callable<List<io.sair.core.model.StageMetrics>> reader, String clientId)
                throws InterruptedException {
            try (KafkaReportSink sink = new KafkaReportSink(bootstrap, topic, clientId)) {
                new ReportLoop(reader, sink).run(Duration.ofSeconds(periodSeconds), polls);
            }
        }
    }

    @Command(name = "lag", mixinStandardHelpOptions = true, sortOptions = false,
            description = "For each stage with an input (topic and consumer group) in its spec: the group's lag as the "
                    + "stage's queueDepth and the topic's growth as its arrivals, every period.")
    static final class Lag implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--input-bootstrap-servers", paramLabel = "HOST:PORT[,...]",
                description = "The Kafka cluster the stages read (default: --bootstrap-servers).")
        String inputBootstrap;

        @Option(names = "--no-arrivals", negatable = false,
                description = "Report the lag only: for stages whose pods count their own arrivals.")
        boolean noArrivals;

        @Override
        public Integer call() throws Exception {
            List<PipelineSpec> specs = common.specs();
            Logging.quietFrameworks();
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, inputBootstrap == null ? common.bootstrap : inputBootstrap);
            p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sair-feed-lag");
            try (Admin admin = Admin.create(p)) {
                ConsumerLagReader reader = new ConsumerLagReader(admin, () -> specs, Clock.systemUTC(),
                        Duration.ofSeconds(Math.max(2, common.periodSeconds)), !noArrivals);
                common.run(reader::poll, "sair-feed-lag");
            }
            return 0;
        }
    }

    @Command(name = "k8s-metrics", mixinStandardHelpOptions = true, sortOptions = false,
            description = "For each stage with a Kubernetes target: each live pod's CPU and memory from metrics.k8s.io "
                    + "(kubectl top) as shares of its limits, every period. Kubernetes access as kubectl's.")
    static final class K8sMetrics implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            List<PipelineSpec> specs = common.specs();
            Logging.quietFrameworks();
            try (KubernetesClient client = KubeClients.fromEnvironment(Duration.ofSeconds(5))) {
                PodMetricsReader reader = new PodMetricsReader(client, () -> specs, Clock.systemUTC(),
                        new Retry(2, Duration.ofMillis(200), Duration.ofMillis(200)));
                common.run(reader::poll, "sair-feed-k8s-metrics");
            }
            return 0;
        }
    }
}
