package io.sair.job.bench;

import io.sair.connectors.kafka.DeadLetterSerializer;
import io.sair.connectors.kafka.KafkaIO;
import io.sair.connectors.otlp.OtlpFormat;
import io.sair.connectors.otlp.OtlpMapping;
import io.sair.connectors.otlp.OtlpMetricsDeserializer;
import io.sair.core.model.Json;
import io.sair.core.time.EventWindows;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.window.MetricsCheck;
import io.sair.flink.MetricEnvelope;
import io.sair.flink.Parsing;
import io.sair.flink.RawRecord;
import io.sair.job.SairJob;
import io.sair.job.SairJobMain;
import io.sair.job.SairOptions;
import io.sair.job.local.EmbeddedKafka;
import io.sair.sim.AppProfiles;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Ingest throughput: N StageMetrics records on a real broker on loopback, read (1) by a plain Kafka
 * consumer that parses and checks each record the way the job's source does, and (2) by the whole
 * job on a local MiniCluster (source, validation against the specs, 30 s windows, contexts, the
 * controller, decisions to Kafka), bounded at the offsets present at start so it finishes when it
 * has read them all. Both in the same run, on the same topic.
 *
 * <p>With an OTLP format the same reports (same pipelines, counts and event-time cadence) go to the topic as
 * the Collector's kafkaexporter writes them ({@link OtlpReports}: one export request per pipeline per period),
 * the plain loop runs the job's OTLP deserializer (decode, map, checks) and the job reads them with it.
 * Records/s are StageMetrics reports/s in every format, so the figures compare.
 */
public final class IngestBench {

    private static final long T0 = 1_767_225_600_000L;
    /** Every (pipeline, stage) reports every 5 s of event time, like an exporter. */
    private static final long REPORT_MS = 5_000;
    private static final String METRICS = "sair.metrics";
    private static final String PIPELINES = "sair.pipelines";

    private final long records;
    private final int pipelines;
    private final int parallelism;
    private final PrintStream out;
    /** null: StageMetrics JSON, one Kafka record per report. */
    private final OtlpFormat otlp;
    private long kafkaRecords;
    private long reportBytes;
    private long jsonBytes;

    public IngestBench(long records, int pipelines, int parallelism, PrintStream out) {
        this(records, pipelines, parallelism, "json", out);
    }

    /** @param format json, otlp_proto or otlp_json (sair.metrics.format) */
    public IngestBench(long records, int pipelines, int parallelism, String format, PrintStream out) {
        this.records = records;
        this.pipelines = pipelines;
        this.parallelism = parallelism;
        this.otlp = format.equals("json") ? null : OtlpFormat.of(format);
        this.out = out;
    }

    public void run() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(parallelism, METRICS, PIPELINES, "sair.actions", "sair.deadletter");
            PipelineSpec template = AppProfiles.image().spec();
            long produced = produce(kafka.bootstrap(), template);
            if (otlp == null) {
                out.printf("ingest: %,d StageMetrics records (%d pipelines x %d stages, one report per stage per 5 s of "
                        + "event time), %d partitions, job parallelism %d%n", produced, pipelines, template.stages().size(),
                        parallelism, parallelism);
            } else {
                out.printf("ingest %s: %,d StageMetrics records (%d pipelines x %d stages, one report per stage per 5 s "
                        + "of event time) in %,d OTLP export requests (one per pipeline per period), %d partitions, job "
                        + "parallelism %d%n", otlp.wire(), produced, pipelines, template.stages().size(), kafkaRecords,
                        parallelism, parallelism);
                out.printf("  bytes per report: %s %,.0f, json %,.0f (the same reports)%n", otlp.wire(),
                        (double) reportBytes / produced, (double) jsonBytes / produced);
            }
            double plain = plainLoop(kafka.bootstrap());
            if (otlp == null) {
                out.printf("  plain Kafka consumer, parse + field checks:  %,10.0f records/s%n", plain);
            } else {
                out.printf("  plain Kafka consumer, %s decode + map + field checks:  %,10.0f records/s%n", otlp.wire(),
                        plain);
            }
            double job = wholeJob(kafka.bootstrap());
            out.printf("  the SAIR job on a MiniCluster, end to end:   %,10.0f records/s (%.0f%% of the plain loop; "
                    + "job start-up included)%n", job, 100 * job / plain);
            long dead = count(kafka.bootstrap(), "sair.deadletter");
            out.printf("  the job published %,d decisions and %,d dead letters%n", count(kafka.bootstrap(), "sair.actions"),
                    dead);
            out.printf("  windows to decide: %,d (each pipeline's windows with a report, on its own grid: "
                    + "sair.window.stagger)%n", windowsToDecide(records, pipelines, template.stages().size()));
            if (dead > 0) {
                deadLetterReasons(kafka.bootstrap()).forEach((why, n) -> out.printf("    %,d x %s%n", n, why));
            }
        }
    }

    /**
     * The windows the job has to decide for the first {@code records} reports {@link #produce} writes: each
     * pipeline's windows that hold a report, on the grid the job's default configuration gives it.
     */
    static long windowsToDecide(long records, int pipelines, int stages) {
        long windowMs = SairOptions.WINDOW.defaultValue().toMillis();
        boolean staggered = SairOptions.WINDOW_STAGGER.defaultValue();
        long[] offsets = new long[pipelines];
        long[] lastStart = new long[pipelines];
        for (int i = 0; i < pipelines; i++) {
            offsets[i] = EventWindows.offset(name(i), windowMs, staggered);
            lastStart[i] = Long.MIN_VALUE;
        }
        long n = 0;
        long windows = 0;
        for (long round = 0; n < records; round++) {
            long ts = T0 + round * REPORT_MS;
            for (int i = 0; i < pipelines && n < records; i++) {
                n += Math.min(stages, records - n);
                long start = EventWindows.start(ts, windowMs, offsets[i]);
                if (start != lastStart[i]) {
                    lastStart[i] = start;
                    windows++;
                }
            }
        }
        return windows;
    }

    private long produce(String bootstrap, PipelineSpec template) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < pipelines; i++) {
                producer.send(new ProducerRecord<>(PIPELINES, null, T0, name(i).getBytes(), Json.write(spec(template, i))));
            }
            List<StageSpec> stages = template.stages();
            OtlpReports encoder = otlp == null ? null : new OtlpReports(otlp, T0 - REPORT_MS);
            long n = 0;
            for (long round = 0; n < records; round++) {
                long ts = T0 + round * REPORT_MS;
                for (int i = 0; i < pipelines && n < records; i++) {
                    List<StageMetrics> batch = new ArrayList<>(stages.size());
                    for (int s = 0; s < stages.size() && n < records; s++, n++) {
                        StageMetrics r = report(name(i), stages.get(s), s == stages.size() - 1, ts, round);
                        if (encoder == null) {
                            producer.send(new ProducerRecord<>(METRICS, null, ts, name(i).getBytes(), Json.write(r)));
                        } else {
                            batch.add(r);
                            jsonBytes += Json.write(r).length;
                        }
                    }
                    if (encoder != null) {
                        // Keyed by pipeline: every series stays on one partition, as the deserializer's state needs.
                        byte[] value = encoder.encode(batch);
                        reportBytes += value.length;
                        kafkaRecords++;
                        producer.send(new ProducerRecord<>(METRICS, null, ts, name(i).getBytes(), value));
                    }
                }
            }
            producer.flush();
            return n;
        }
    }

    private static long count(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The dead letters by reason, cut before its first number (a timestamp, a count), in order of reason. */
    private static Map<String, Long> deadLetterReasons(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, Long> byReason = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor("sair.deadletter").stream()
                    .map(i -> new TopicPartition("sair.deadletter", i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    var h = r.headers().lastHeader(DeadLetterSerializer.REASON);
                    String why = h == null ? "(no reason header)" : new String(h.value(), StandardCharsets.UTF_8);
                    byReason.merge(why.replaceAll("[0-9].*$", "…"), 1L, Long::sum);
                }
            }
        }
        return byReason;
    }

    static String name(int i) {
        return "pipeline-" + i;
    }

    /** Pipeline {@code i} of the fleet: the template under its own name. */
    static PipelineSpec spec(PipelineSpec template, int i) {
        return new PipelineSpec(template.v(), name(i), template.stages(), template.slaP99Ms(), template.prices(),
                template.policy(), template.mode());
    }

    static StageMetrics report(String pipeline, StageSpec s, boolean last, long ts, long round) {
        List<Double> lat = List.of(12.0 + round % 7, 15.5, 19.0, 31.0);
        return new StageMetrics(StageMetrics.VERSION, pipeline, s.name(), s.name() + "-0", ts, s.kind(),
                s.initial().replicas(), s.initial().cpuMillis(), s.initial().memoryMb(), s.initial().rate(), 400L, 398L,
                3L, 0.45, 0.5, s.kind() == io.sair.core.model.StageKind.GPU ? 0.4 : null, lat, null,
                last ? List.of(40.0, 48.0, 55.0, 90.0) : null, null);
    }

    /**
     * Records/s of a consumer that parses each record and runs the field checks, as the job's source does; for
     * OTLP, StageMetrics reports/s out of the job's OTLP reader (decode, map, checks), which must refuse none.
     */
    private double plainLoop(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "plain-loop");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        long seen = 0;
        long ok = 0;
        OtlpMetricsDeserializer otlpReader = otlp == null ? null : otlpDeserializer(new Configuration());
        long[] otlpSeen = new long[2]; // reports the job's OTLP reader made, and those it let through
        org.apache.flink.util.Collector<MetricEnvelope> otlpOut = new org.apache.flink.util.Collector<>() {
            @Override
            public void collect(MetricEnvelope e) {
                otlpSeen[0]++;
                otlpSeen[1] += e.ok() ? 1 : 0;
            }

            @Override
            public void close() {
            }
        };
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(METRICS));
            while (seen < records) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (otlpReader != null) {
                        // One record holds several reports: count what the job's reader makes of it.
                        otlpReader.deserialize(r, otlpOut);
                        seen = otlpSeen[0];
                        ok = otlpSeen[1];
                        continue;
                    }
                    MetricEnvelope e = Parsing.metrics(new RawRecord(r.topic(), r.partition(), r.offset(), r.timestamp(),
                            r.key(), r.value()), SairOptions.MAX_RECORD_BYTES.defaultValue());
                    if (e.ok() && MetricsCheck.fields(e.metrics(), r.timestamp()).isEmpty()) {
                        ok++;
                    }
                    seen++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (ok != seen) {
            throw new IllegalStateException(ok + " of " + seen + " records passed the checks");
        }
        return seen / seconds;
    }

    /** The job's OTLP reader with the default mapping (it names the metrics {@link OtlpReports} writes). */
    private OtlpMetricsDeserializer otlpDeserializer(Configuration conf) {
        return new OtlpMetricsDeserializer(otlp, OtlpMapping.defaults(), conf.get(SairOptions.MAX_RECORD_BYTES),
                conf.get(SairOptions.OTLP_MAX_RECORD_BYTES));
    }

    /** Records/s of the whole job, from submission until it has read every record and finished. */
    private double wholeJob(String bootstrap) throws Exception {
        Configuration conf = SairJobMain.withJobDefaults(new Configuration());
        conf.set(SairOptions.BOOTSTRAP_SERVERS, bootstrap);
        conf.set(SairOptions.PER_PIPELINE_METRICS, false);
        conf.setString("parallelism.default", String.valueOf(parallelism));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        int maxBytes = conf.get(SairOptions.MAX_RECORD_BYTES);
        Source<MetricEnvelope, ?, ?> metrics;
        if (otlp == null) {
            metrics = KafkaIO.metricsUpToNow(bootstrap, METRICS, "ingest-bench", maxBytes);
        } else {
            conf.set(SairOptions.METRICS_FORMAT, otlp.wire());
            // As SairJobMain's OTLP source, bounded at the offsets present at start like metricsUpToNow.
            metrics = KafkaSource.<MetricEnvelope>builder().setBootstrapServers(bootstrap).setTopics(METRICS)
                    .setGroupId("ingest-bench").setDeserializer(otlpDeserializer(conf))
                    .setStartingOffsets(OffsetsInitializer.earliest()).setBounded(OffsetsInitializer.latest()).build();
        }
        new SairJob(conf,
                metrics,
                KafkaIO.specsUpToNow(bootstrap, PIPELINES, "ingest-bench", maxBytes),
                KafkaIO.decisions(bootstrap, "sair.actions", DeliveryGuarantee.AT_LEAST_ONCE, "ingest-bench",
                        new Properties()),
                KafkaIO.deadLetters(bootstrap, "sair.deadletter", maxBytes, DeliveryGuarantee.AT_LEAST_ONCE, "ingest-bench",
                        new Properties())).build(env);
        long start = System.nanoTime();
        env.execute("sair ingest benchmark");
        return records / ((System.nanoTime() - start) / 1e9);
    }
}
