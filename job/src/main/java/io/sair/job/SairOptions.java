package io.sair.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every option of the SAIR job, with its default and description. Set them in Flink's configuration
 * or on the command line ({@code --sair.window.size 30s} or {@code --sair.window.size=30s}).
 */
public final class SairOptions {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("sair.kafka.bootstrap-servers").stringType()
            .defaultValue("localhost:9092").withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> GROUP_ID = key("sair.kafka.group-id").stringType().defaultValue("sair")
            .withDescription("Kafka consumer group of the job (the specs reader uses <group>-specs).");
    public static final ConfigOption<String> DELIVERY = key("sair.kafka.delivery-guarantee").stringType()
            .defaultValue("at-least-once").withDescription(
                    "at-least-once or exactly-once for sair.actions and sair.deadletter. Decisions carry absolute "
                            + "targets and stable ids, so a replayed decision is harmless.");
    public static final ConfigOption<String> TOPIC_METRICS = key("sair.topic.metrics").stringType()
            .defaultValue("sair.metrics").withDescription("Topic of StageMetrics records (key: pipeline).");
    public static final ConfigOption<String> TOPIC_PIPELINES = key("sair.topic.pipelines").stringType()
            .defaultValue("sair.pipelines").withDescription("Compacted topic of PipelineSpecs (key: pipeline; tombstone removes).");
    public static final ConfigOption<String> TOPIC_ACTIONS = key("sair.topic.actions").stringType()
            .defaultValue("sair.actions").withDescription("Topic the ScalingDecisions are written to.");
    public static final ConfigOption<String> TOPIC_DEADLETTER = key("sair.topic.deadletter").stringType()
            .defaultValue("sair.deadletter").withDescription("Topic for unusable input, original bytes plus a reason header.");
    public static final ConfigOption<Duration> WINDOW = key("sair.window.size").durationType()
            .defaultValue(Duration.ofSeconds(30)).withDescription("Decision interval: the tumbling event-time window.");
    public static final ConfigOption<Boolean> WINDOW_STAGGER = key("sair.window.stagger").booleanType()
            .defaultValue(true).withDescription("Each pipeline's windows start at its own offset within "
                    + "sair.window.size (from its name's hash), so a fleet's rounds spread over the window instead of "
                    + "all closing at one watermark; false: every window starts at the epoch.");
    public static final ConfigOption<Boolean> SURGE_ENABLED = key("sair.surge.enabled").booleanType().defaultValue(true)
            .withDescription("The fast path between rounds: on each short window, add capacity where demand outruns "
                    + "what runs (decisions with selector 'surge').");
    public static final ConfigOption<Duration> SURGE_WINDOW = key("sair.surge.window").durationType()
            .defaultValue(Duration.ofSeconds(5)).withDescription("The fast path's short window (the report period); "
                    + "must divide sair.window.size.");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key("sair.watermark.out-of-orderness").durationType()
            .defaultValue(Duration.ofSeconds(5)).withDescription("How late a report may arrive and still count.");
    public static final ConfigOption<Duration> IDLENESS = key("sair.watermark.idleness").durationType()
            .defaultValue(Duration.ofSeconds(60)).withDescription(
                    "A metrics partition silent this long (processing time) no longer holds the watermark back.");
    public static final ConfigOption<Duration> MAX_DRIFT = key("sair.watermark.max-drift").durationType()
            .defaultValue(Duration.ofMinutes(1)).withDescription(
                    "Watermark alignment: a metrics partition whose event time is this far ahead of the slowest one "
                            + "pauses until it catches up (bounds what a backlog holds in window state); 0 turns it off. Not used on "
                            + "a bounded metrics source (FLINK-39728: the connector may pause a finished split).");
    public static final ConfigOption<Duration> MAX_AHEAD = key("sair.metrics.max-ahead").durationType()
            .defaultValue(Duration.ofMinutes(10)).withDescription(
                    "A report further ahead than this of the job's clock, or of the event time the metrics partitions "
                            + "vouch for, is dead-lettered as 'future' (must exceed max-drift plus out-of-orderness).");
    public static final ConfigOption<Duration> CONTEXT_GRACE = key("sair.context.grace").durationType()
            .defaultValue(Duration.ZERO).withDescription(
                    "Event time after a window's end to wait for its missing stages before deciding without them.");
    public static final ConfigOption<Duration> PENDING_TIMEOUT = key("sair.metrics.pending-timeout").durationType()
            .defaultValue(Duration.ofSeconds(60)).withDescription(
                    "How long (processing time) reports of a pipeline without a spec wait for it before they are dead-lettered.");
    public static final ConfigOption<Integer> MAX_PENDING = key("sair.metrics.max-pending").intType().defaultValue(1000)
            .withDescription("Reports per unknown pipeline that may wait for its spec.");
    public static final ConfigOption<Integer> MAX_RECORD_BYTES = key("sair.metrics.max-record-bytes").intType()
            .defaultValue(65_536).withDescription("Larger metrics or spec records are dead-lettered unparsed, with only "
                    + "their first max-record-bytes (at most 524288, so a dead letter stays under Kafka's 1 MiB defaults).");
    public static final ConfigOption<String> METRICS_FORMAT = key("sair.metrics.format").stringType()
            .defaultValue("json").withDescription("What the metrics topic holds: json (StageMetrics records), or "
                    + "otlp_proto / otlp_json (OTLP metrics as the OpenTelemetry Collector's kafkaexporter writes them, "
                    + "mapped by sair.otlp.mapping).");
    public static final ConfigOption<String> OTLP_MAPPING = key("sair.otlp.mapping").stringType().defaultValue("")
            .withDescription("How OTLP metrics become StageMetrics: an OtlpMapping as JSON, inline or in a file "
                    + "(@path); fields left out keep their defaults from OpenTelemetry semantic conventions. Empty: all defaults.");
    public static final ConfigOption<Integer> OTLP_MAX_RECORD_BYTES = key("sair.otlp.max-record-bytes").intType()
            .defaultValue(4 << 20).withDescription("Larger OTLP records (the Collector batches many points in one) are "
                    + "dead-lettered unparsed; a dead letter carries at most sair.metrics.max-record-bytes of one.");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("sair.checkpoint.interval").durationType()
            .defaultValue(Duration.ofSeconds(30)).withDescription("Checkpoint interval (exactly-once state). "
                    + "When not given, Flink's execution.checkpointing.interval holds if the cluster sets it.");
    public static final ConfigOption<Boolean> PER_PIPELINE_METRICS = key("sair.metrics.per-pipeline").booleanType()
            .defaultValue(true).withDescription("Per-pipeline gauges (reward, epsilon, memory, p99, cost); off for large fleets.");
    public static final ConfigOption<Long> HELD_EXPERIENCES = key("sair.controller.held-experiences").longType()
            .defaultValue(100_000L).withDescription("Learned state the controller keeps in memory, per subtask, in "
                    + "experiences (a pipeline's state weighs 1 + its experiences): rounds of those pipelines read it from "
                    + "memory, not RocksDB (every write still goes to RocksDB). 0: none held.");
    public static final ConfigOption<Integer> MAX_PARALLELISM = key("sair.max-parallelism").intType().defaultValue(128)
            .withDescription("Max parallelism (key groups); fixed for the life of the state.");

    public static final ConfigOption<Boolean> ACTUATE_KUBERNETES = key("sair.actuate.kubernetes").booleanType()
            .defaultValue(false).withDescription(
                    "Apply decisions to the stages' Deployments (replicas; CPU/memory by pod resize or rolling update). "
                            + "Needs the RBAC of KubeAccess. Off: decisions are only published.");
    public static final ConfigOption<Boolean> KUBE_AUTOSCALERS = key("sair.kubernetes.autoscalers").booleanType()
            .defaultValue(false).withDescription(
                    "Live PipelineAutoscaler resources: the job main syncs them to the pipelines topic (delete: tombstone; "
                            + "a bad spec is reported in status.specProblem) and the job writes each decision into their status. "
                            + "Needs the CRD and the sair-autoscalers Role.");
    public static final ConfigOption<String> KUBE_AUTOSCALERS_NAMESPACE = key("sair.kubernetes.autoscalers.namespace")
            .stringType().defaultValue("").withDescription("Where the PipelineAutoscalers live; empty: all namespaces.");
    public static final ConfigOption<Boolean> ACTUATE_GPU_AGENT = key("sair.actuate.gpu-agent").booleanType()
            .defaultValue(false).withDescription("Send GPU stages' rate targets to the GPU agent on each pod's node.");
    public static final ConfigOption<String> GPU_AGENT_URL = key("sair.actuate.gpu-agent.url-template").stringType()
            .defaultValue("http://{hostIP}:8470").withDescription(
                    "The GPU agent of a pod, unless its stage sets kubernetes.gpuAgentUrl: a URL with {hostIP}, "
                            + "{nodeName}, {podName}, {namespace}.");
    public static final ConfigOption<String> GPU_AGENT_TOKEN_FILE = key("sair.actuate.gpu-agent.token-file").stringType()
            .noDefaultValue().withDescription(
                    "File holding the GPU agent's bearer token (a mounted Secret); unset: environment SAIR_AGENT_TOKEN.");
    public static final ConfigOption<Duration> GPU_AGENT_TIMEOUT = key("sair.actuate.gpu-agent.timeout").durationType()
            .defaultValue(Duration.ofSeconds(2)).withDescription("Connect and request timeout of one GPU agent call.");
    public static final ConfigOption<Duration> KUBE_TIMEOUT = key("sair.actuate.kubernetes.timeout").durationType()
            .defaultValue(Duration.ofSeconds(10)).withDescription("Connect and request timeout of one Kubernetes API call.");
    public static final ConfigOption<Integer> ACTUATE_ATTEMPTS = key("sair.actuate.max-attempts").intType()
            .defaultValue(4).withDescription("Attempts per API write, the first included (409, 429, 5xx and "
                    + "connection failures are retried).");
    public static final ConfigOption<Duration> ACTUATE_BACKOFF = key("sair.actuate.backoff").durationType()
            .defaultValue(Duration.ofMillis(200)).withDescription("Wait before the first retry; doubles up to 5 s.");
    public static final ConfigOption<Duration> ACTUATE_TIMEOUT = key("sair.actuate.timeout").durationType()
            .defaultValue(Duration.ofMinutes(2)).withDescription(
                    "Time one decision's actuation may take before it is reported failed (the job goes on).");
    public static final ConfigOption<String> LLM_PROVIDER = key("sair.llm.provider").stringType().noDefaultValue()
            .withDescription("LLM provider of pipelines with policy.selector auto or llm: openai (any OpenAI-compatible "
                    + "endpoint), ollama or anthropic; none: no LLM. Unset: SAIR_LLM_PROVIDER, else none.");
    public static final ConfigOption<String> LLM_BASE_URL = key("sair.llm.base-url").stringType().noDefaultValue()
            .withDescription("Endpoint of the provider (e.g. http://vllm:8000/v1). Unset: SAIR_LLM_BASE_URL, else the "
                    + "provider's public endpoint.");
    public static final ConfigOption<String> LLM_MODEL = key("sair.llm.model").stringType().noDefaultValue()
            .withDescription("Model name; a pipeline's policy.llmModel overrides it. Unset: SAIR_LLM_MODEL, else the "
                    + "provider's default.");
    public static final ConfigOption<Duration> LLM_TIMEOUT = key("sair.llm.timeout").durationType().noDefaultValue()
            .withDescription("Deadline of one LLM call, retries included; then the built-in selector decides. "
                    + "Unset: SAIR_LLM_TIMEOUT_MS, else 10 s.");
    public static final ConfigOption<Integer> LLM_MAX_IN_FLIGHT = key("sair.llm.max-in-flight").intType()
            .defaultValue(16).withDescription("LLM calls in flight per controller subtask; a call beyond falls back at once.");
    public static final ConfigOption<Integer> LLM_MAX_RETRIES = key("sair.llm.max-retries").intType().defaultValue(1)
            .withDescription("Retries of a rate-limited, failed or timed-out LLM call, within its deadline.");
    public static final ConfigOption<String> LLM_API_KEY_FILE = key("sair.llm.api-key-file").stringType().noDefaultValue()
            .withDescription("File holding the API key (a mounted Secret), read on the task managers; "
                    + "SAIR_LLM_API_KEY takes precedence. The key itself is never a job option.");

    private SairOptions() {
    }

    /** Every public static ConfigOption of this class, found by reflection so that a new option cannot be left out. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : SairOptions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        options.sort(Comparator.comparing(ConfigOption::key));
        return List.copyOf(options);
    }
}
