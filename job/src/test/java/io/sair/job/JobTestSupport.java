package io.sair.job;

import io.sair.core.model.PipelineContext;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Shared setup of the job ITCases: a MiniCluster with parallelism 2 and the job's settings for tests. */
final class JobTestSupport {

    static final int PARALLELISM = 2;

    private JobTestSupport() {
    }

    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(4)
                .setConfiguration(clusterConf())
                .build());
    }

    static Configuration clusterConf() {
        Configuration c = new Configuration();
        c.setString("state.backend.rocksdb.localdir", "/tmp/sair-rocksdb");
        c.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", "9250-9269");
        return c;
    }

    /** Creates topics {@code <prefix>.metrics|pipelines|actions|deadletter} so tests sharing a broker do not meet. */
    static void createTopics(KafkaTestBroker broker, String prefix) throws Exception {
        broker.createTopics(2, prefix + ".metrics");
        broker.createTopics(1, prefix + ".pipelines", prefix + ".actions", prefix + ".deadletter");
    }

    /** {@link #jobConf(String, Path, String)} on the topics of {@link #createTopics}. */
    static Configuration jobConf(String bootstrap, Path dir, String group, String prefix) {
        Configuration c = jobConf(bootstrap, dir, group);
        c.set(SairOptions.TOPIC_METRICS, prefix + ".metrics");
        c.set(SairOptions.TOPIC_PIPELINES, prefix + ".pipelines");
        c.set(SairOptions.TOPIC_ACTIONS, prefix + ".actions");
        c.set(SairOptions.TOPIC_DEADLETTER, prefix + ".deadletter");
        return c;
    }

    /**
     * Cancels the job and waits (at most 60 s) until it has stopped: the cancel's future completes when the request
     * is taken, while a checkpoint may still be writing into the test's temporary directory, which JUnit then fails
     * to delete (seen in CI: "Failed to delete temp directory ... checkpoints/<job>/shared").
     */
    static void cancel(JobClient job) throws Exception {
        job.cancel().get();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException gone) {
                return; // the cluster no longer knows the job: it has stopped
            }
            Thread.sleep(50);
        }
    }

    /** The job's configuration for a test against {@code bootstrap}, checkpointing into {@code dir}. */
    static Configuration jobConf(String bootstrap, Path dir, String group) {
        Configuration c = new Configuration();
        c.set(SairOptions.BOOTSTRAP_SERVERS, bootstrap);
        c.set(SairOptions.GROUP_ID, group);
        c.set(SairOptions.IDLENESS, Duration.ofSeconds(1));
        // Reports of an unknown pipeline are dead-lettered after 10 s of waiting, not the default minute.
        c.set(SairOptions.PENDING_TIMEOUT, Duration.ofSeconds(10));
        c.set(SairOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
        c.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        c.setString("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
        c.setString("restart-strategy.type", "none");
        c.setString("parallelism.default", String.valueOf(PARALLELISM));
        return SairJobMain.withJobDefaults(c);
    }

    /** An environment running the SAIR job over the broker, with test sinks on contexts and decisions. */
    static StreamExecutionEnvironment environment(Configuration conf, TestingSink<PipelineContext> contexts,
                                                  TestingSink<io.sair.core.model.ScalingDecision> decisions) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SairJobMain.configure(env, conf);
        SairJob.Streams s = SairJobMain.wire(conf).build(env);
        if (contexts != null) {
            s.contexts().sinkTo(contexts).uid("test-contexts").name("test contexts");
        }
        if (decisions != null) {
            s.decisions().sinkTo(decisions).uid("test-decisions").name("test decisions");
        }
        return env;
    }

    private static final java.util.List<String> FABRIC8_PROPERTIES = java.util.List.of("kubernetes.master",
            "kubernetes.auth.tryKubeConfig", "kubernetes.auth.tryServiceAccount", "kubernetes.http2.disable");

    /**
     * Points the fabric8 clients the job builds inside its operators (from system properties, as in a
     * pod) at a mock server; {@link #clearFabric8Mock()} after the test.
     */
    static void useFabric8Mock(io.fabric8.kubernetes.client.KubernetesClient client) {
        System.setProperty("kubernetes.master", client.getConfiguration().getMasterUrl());
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.http2.disable", "true");
    }

    static void clearFabric8Mock() {
        FABRIC8_PROPERTIES.forEach(System::clearProperty);
    }
}
