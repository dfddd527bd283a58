package io.sair.job.bench;

import io.sair.connectors.kafka.KafkaIO;
import io.sair.core.model.Json;
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
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
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

    public IngestBench(long records, int pipelines, int parallelism, PrintStream out) {
        this.records = records;
        this.pipelines = pipelines;
        this.parallelism = parallelism;
        this.out = out;
    }

    public void run() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(parallelism, METRICS, PIPELINES, "sair.actions", "sair.deadletter");
            PipelineSpec template = AppProfiles.image().spec();
            long produced = produce(kafka.bootstrap(), template);
            out.printf("ingest: %,d StageMetrics records (%d pipelines x %d stages, one report per stage per 5 s of "
                    + "event time), %d partitions, job parallelism %d%n", produced, pipelines, template.stages().size(),
                    parallelism, parallelism);
            double plain = plainLoop(kafka.bootstrap());
            out.printf("  plain Kafka consumer, parse + field checks:  %,10.0f records/s%n", plain);
            double job = wholeJob(kafka.bootstrap());
            out.printf("  the SAIR job on a MiniCluster, end to end:   %,10.0f records/s (%.0f%% of the plain loop; "
                    + "job start-up included)%n", job, 100 * job / plain);
            out.printf("  the job published %,d decisions and %,d dead letters%n", count(kafka.bootstrap(), "sair.actions"),
                    count(kafka.bootstrap(), "sair.deadletter"));
        }
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
            long perRound = (long) pipelines * stages.size();
            long n = 0;
            for (long round = 0; n < records; round++) {
                long ts = T0 + round * REPORT_MS;
                for (int i = 0; i < pipelines && n < records; i++) {
                    for (int s = 0; s < stages.size() && n < records; s++, n++) {
                        byte[] value = Json.write(report(name(i), stages.get(s), s == stages.size() - 1, ts, round));
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

    /** Records/s of a consumer that parses each record and runs the field checks, as the job's source does. */
    private double plainLoop(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "plain-loop");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        long seen = 0;
        long ok = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(METRICS));
            while (seen < records) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
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

    /** Records/s of the whole job, from submission until it has read every record and finished. */
    private double wholeJob(String bootstrap) throws Exception {
        Configuration conf = SairJobMain.withJobDefaults(new Configuration());
        conf.set(SairOptions.BOOTSTRAP_SERVERS, bootstrap);
        conf.set(SairOptions.PER_PIPELINE_METRICS, false);
        conf.setString("parallelism.default", String.valueOf(parallelism));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        int maxBytes = conf.get(SairOptions.MAX_RECORD_BYTES);
        new SairJob(conf,
                KafkaIO.metricsUpToNow(bootstrap, METRICS, "ingest-bench", maxBytes),
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
