package io.sair.job;

import io.sair.connectors.actuate.ConfiguredActuators;
import io.sair.connectors.actuate.Retry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sair.connectors.k8s.AutoscalerSpecSync;
import io.sair.connectors.k8s.AutoscalerStatusSink;
import io.sair.connectors.k8s.KubeClients;
import io.sair.connectors.kafka.KafkaIO;
import io.sair.connectors.kafka.KafkaSpecPublisher;
import io.sair.connectors.otlp.OtlpFormat;
import io.sair.connectors.otlp.OtlpMapping;
import io.sair.connectors.otlp.OtlpSource;
import io.sair.flink.MetricEnvelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * The job's entry point ({@code flink run sair-job.jar --sair.kafka.bootstrap-servers kafka:9092}).
 * Options come from Flink's configuration, overridden by {@code --key value} arguments.
 */
public final class SairJobMain {

    private static final Logger LOG = LoggerFactory.getLogger(SairJobMain.class);

    private SairJobMain() {
    }

    public static void main(String[] args) throws Exception {
        Configuration conf = withJobDefaults(parseArgs(args));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        configure(env, conf);
        wire(conf).build(env);
        if (conf.get(SairOptions.KUBE_AUTOSCALERS) && !syncsInMain(env.getConfiguration())) {
            LOG.info("sair.kubernetes.autoscalers: this submission is detached (execution.attached: false, as for "
                    + "a web or REST submission, `flink run -d`, or application mode unless execution.attached is set), "
                    + "so main ends once the job is submitted and does not watch PipelineAutoscaler resources; run "
                    + "`sair pipelines sync` beside the job (k8s/pipelineautoscaler-sync.yaml). The job writes their status.");
        }
        try (AutoCloseable sync = syncsInMain(env.getConfiguration()) ? autoscalerSync(conf) : () -> { }) {
            env.execute("SAIR");
        }
    }

    /**
     * Main can keep the PipelineAutoscaler sync running only while execute() waits for the job, i.e. in an
     * attached execution (`flink run` without -d, a local MiniCluster). Detached, execute() returns once
     * the job is submitted and main, and a sync started here, would end with it.
     */
    static boolean syncsInMain(ReadableConfig effective) {
        return effective.get(DeploymentOptions.ATTACHED);
    }

    /**
     * With sair.kubernetes.autoscalers, the PipelineAutoscaler resources are synced to the pipelines
     * topic: from the job's main in an attached execution, or from {@code sair pipelines sync} beside a
     * detached job. See AutoscalerSpecSync for why a sync and not a source. Off: nothing to close.
     */
    public static AutoCloseable autoscalerSync(Configuration conf) {
        if (!conf.get(SairOptions.KUBE_AUTOSCALERS)) {
            return () -> { };
        }
        KafkaSpecPublisher publisher = new KafkaSpecPublisher(conf.get(SairOptions.BOOTSTRAP_SERVERS),
                conf.get(SairOptions.TOPIC_PIPELINES), new Properties());
        KubernetesClient client = KubeClients.fromEnvironment(conf.get(SairOptions.KUBE_TIMEOUT));
        AutoscalerSpecSync sync = new AutoscalerSpecSync(client, conf.get(SairOptions.KUBE_AUTOSCALERS_NAMESPACE),
                publisher, conf.get(SairOptions.MAX_RECORD_BYTES)).start();
        return () -> {
            sync.close();
            client.close();
            publisher.close();
        };
    }

    /** ParameterTool's value of a key given without one (AbstractParameterTool.NO_VALUE_KEY, which is protected). */
    private static final String NO_VALUE = "__NO_VALUE_KEY";

    /**
     * {@code --key value} and {@code --key=value} pairs as a Configuration, read by Flink's ParameterTool;
     * it knows only the first form, so {@code --key=value} is split first, and a key without a value
     * (which ParameterTool would take for a flag) is an error, as no SAIR option is a flag.
     */
    public static Configuration parseArgs(String[] args) {
        List<String> split = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                split.add(a.substring(0, eq));
                split.add(a.substring(eq + 1));
            } else {
                split.add(a);
            }
        }
        ParameterTool params = ParameterTool.fromArgs(split.toArray(String[]::new));
        params.toMap().forEach((k, v) -> {
            if (NO_VALUE.equals(v)) {
                throw new IllegalArgumentException("option --" + k + " needs a value");
            }
        });
        return params.getConfiguration();
    }

    /** The settings SAIR relies on, unless the user set them: savepoint safety, RocksDB, checkpoints. */
    public static Configuration withJobDefaults(Configuration given) {
        Configuration c = new Configuration();
        c.setString("pipeline.auto-generate-uids", "false");
        c.setString("pipeline.generic-types", "false");
        c.setString("state.backend.type", "rocksdb");
        c.setString("execution.checkpointing.incremental", "true");
        c.addAll(given);
        return c;
    }

    /**
     * Exactly-once checkpoints of the learned state. The interval: sair.checkpoint.interval when it is
     * given, else Flink's own execution.checkpointing.interval when the cluster or the submission sets it
     * (an operator tuning checkpoints in config.yaml expects it to hold), else sair.checkpoint.interval's
     * default.
     */
    public static void configure(StreamExecutionEnvironment env, Configuration conf) {
        env.enableCheckpointing(checkpointInterval(env.getConfiguration(), conf).toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }

    static Duration checkpointInterval(ReadableConfig effective, Configuration conf) {
        if (conf.contains(SairOptions.CHECKPOINT_INTERVAL)) {
            return conf.get(SairOptions.CHECKPOINT_INTERVAL);
        }
        return effective.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                .orElse(SairOptions.CHECKPOINT_INTERVAL.defaultValue());
    }

    /** The job over Kafka, as configured. */
    public static SairJob wire(Configuration conf) {
        String bootstrap = conf.get(SairOptions.BOOTSTRAP_SERVERS);
        String group = conf.get(SairOptions.GROUP_ID);
        int maxBytes = conf.get(SairOptions.MAX_RECORD_BYTES);
        DeliveryGuarantee guarantee = switch (conf.get(SairOptions.DELIVERY).toLowerCase(Locale.ROOT)) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("sair.kafka.delivery-guarantee must be at-least-once or exactly-once");
        };
        Properties extra = new Properties();
        SairJob job = new SairJob(conf, metricsSource(conf, extra),
                KafkaIO.specs(bootstrap, conf.get(SairOptions.TOPIC_PIPELINES), group, maxBytes, extra),
                KafkaIO.decisions(bootstrap, conf.get(SairOptions.TOPIC_ACTIONS), guarantee, group, extra),
                KafkaIO.deadLetters(bootstrap, conf.get(SairOptions.TOPIC_DEADLETTER), maxBytes, guarantee, group,
                        extra));
        if (conf.get(SairOptions.ACTUATE_KUBERNETES) || conf.get(SairOptions.ACTUATE_GPU_AGENT)) {
            job.withActuation(actuators(conf), KafkaIO.actuationResults(bootstrap, conf.get(SairOptions.TOPIC_ACTIONS),
                    guarantee, group, extra), conf.get(SairOptions.ACTUATE_TIMEOUT));
        }
        if (conf.get(SairOptions.KUBE_AUTOSCALERS)) {
            job.withDecisionStatus(new AutoscalerStatusSink(conf.get(SairOptions.KUBE_AUTOSCALERS_NAMESPACE),
                    conf.get(SairOptions.KUBE_TIMEOUT)));
        }
        return job;
    }

    /**
     * The metrics source: StageMetrics JSON, or OTLP from the Collector's kafkaexporter (sair.metrics.format).
     * Both give MetricEnvelopes, so the gate, windows and dead letters are the same for either.
     */
    static Source<MetricEnvelope, ?, ?> metricsSource(Configuration conf, Properties extra) {
        String bootstrap = conf.get(SairOptions.BOOTSTRAP_SERVERS);
        String topic = conf.get(SairOptions.TOPIC_METRICS);
        String group = conf.get(SairOptions.GROUP_ID);
        int maxBytes = conf.get(SairOptions.MAX_RECORD_BYTES);
        String format = conf.get(SairOptions.METRICS_FORMAT).toLowerCase(Locale.ROOT);
        if (format.equals("json")) {
            return KafkaIO.metrics(bootstrap, topic, group, maxBytes, extra);
        }
        if (!format.equals("otlp_proto") && !format.equals("otlp_json")) {
            throw new IllegalArgumentException("sair.metrics.format must be json, otlp_proto or otlp_json, not '" + format + "'");
        }
        return OtlpSource.metrics(bootstrap, topic, group, OtlpFormat.of(format), otlpMapping(conf), maxBytes,
                conf.get(SairOptions.OTLP_MAX_RECORD_BYTES), extra);
    }

    /** sair.otlp.mapping: inline JSON, or @file; checked here, so a bad mapping fails the submission, not the tasks. */
    static OtlpMapping otlpMapping(Configuration conf) {
        String given = conf.get(SairOptions.OTLP_MAPPING).strip();
        if (given.isEmpty()) {
            return OtlpMapping.defaults();
        }
        try {
            return OtlpMapping.fromJson(given.startsWith("@") ? Files.readString(Path.of(given.substring(1))) : given);
        } catch (IOException e) {
            throw new IllegalArgumentException("sair.otlp.mapping: cannot read " + given.substring(1) + ": " + e.getMessage(), e);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The actuators the options switch on (built on the task managers). */
    public static ConfiguredActuators actuators(Configuration conf) {
        return new ConfiguredActuators(conf.get(SairOptions.ACTUATE_KUBERNETES), conf.get(SairOptions.ACTUATE_GPU_AGENT),
                conf.get(SairOptions.GPU_AGENT_URL), conf.get(SairOptions.GPU_AGENT_TOKEN_FILE),
                conf.get(SairOptions.KUBE_TIMEOUT), conf.get(SairOptions.GPU_AGENT_TIMEOUT),
                new Retry(conf.get(SairOptions.ACTUATE_ATTEMPTS), conf.get(SairOptions.ACTUATE_BACKOFF),
                        max(Duration.ofSeconds(5), conf.get(SairOptions.ACTUATE_BACKOFF))));
    }
}
