package io.sair.connectors.lag;

import io.sair.core.model.KafkaInput;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, for every stage whose spec declares a Kafka {@link KafkaInput}, its consumer group's lag through
 * the AdminClient: one partial StageMetrics per stage and poll with {@code queueDepth} (the records the
 * group has not committed yet) and {@code arrivals} (how far the topic's end offsets moved since the last
 * poll). The first poll of an input is its baseline and counts no arrivals. Nothing else is said: the
 * stage's pods report completions, latencies and what runs, and the window merges the two.
 */
public final class ConsumerLagReader {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagReader.class);

    /** The pod key of the reports: the group's lag is one queue of the stage, beside any its pods report. */
    public static final String POD_PREFIX = "kafka:";

    private final Admin admin;
    private final Supplier<List<PipelineSpec>> specs;
    private final Clock clock;
    private final Duration timeout;
    private final boolean arrivals;
    /** End offsets of each input's partitions at the previous poll, by pipeline/stage. */
    private final Map<String, Map<TopicPartition, Long>> previousEnds = new HashMap<>();

    /**
     * @param arrivals whether to report the topic's growth as the stage's arrivals: off where the pods count
     *                 their own arrivals, which would then be counted twice
     */
    public ConsumerLagReader(Admin admin, Supplier<List<PipelineSpec>> specs, Clock clock, Duration timeout,
                             boolean arrivals) {
        this.admin = admin;
        this.specs = specs;
        this.clock = clock;
        this.timeout = timeout;
        this.arrivals = arrivals;
    }

    /** One poll of every declared input; an input that cannot be read is logged and left out of this poll. */
    public List<StageMetrics> poll() throws InterruptedException {
        List<StageMetrics> out = new ArrayList<>();
        Map<String, Map<TopicPartition, Long>> seen = new HashMap<>();
        for (PipelineSpec spec : specs.get()) {
            for (StageSpec stage : spec.stages()) {
                if (stage.input() == null) {
                    continue;
                }
                String key = spec.name() + "/" + stage.name();
                try {
                    Map<TopicPartition, Long> ends = endOffsets(stage.input().topic());
                    long lag = lag(stage.input(), ends);
                    Map<TopicPartition, Long> before = previousEnds.get(key);
                    Long arrived = arrivals && before != null ? growth(before, ends) : null;
                    seen.put(key, ends);
                    out.add(report(spec, stage, lag, arrived));
                } catch (ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    LOG.warn("lag of {} (topic {}, group {}) not read this period: {}", key, stage.input().topic(),
                            stage.input().group(), cause.toString());
                    Map<TopicPartition, Long> keep = previousEnds.get(key);
                    if (keep != null) {
                        seen.put(key, keep); // the next reading's growth then spans the missed period too
                    }
                }
            }
        }
        previousEnds.clear();
        previousEnds.putAll(seen);
        return out;
    }

    private StageMetrics report(PipelineSpec spec, StageSpec stage, long lag, Long arrived) {
        String pod = POD_PREFIX + stage.input().group();
        return new StageMetrics(StageMetrics.VERSION, spec.name(), stage.name(),
                pod.length() > 253 ? pod.substring(0, 253) : pod, clock.millis(), stage.kind(), null, null, null, null,
                arrived, null, lag, null, null, null, null, null, null, null);
    }

    private Map<TopicPartition, Long> endOffsets(String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        d.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return offsets(latest);
    }

    /**
     * Records of the topic the group has not committed: each partition's end offset less the group's committed
     * offset. A partition the group has never committed counts from its log start: all it retains waits (the
     * consumer's {@code auto.offset.reset} is the group's business, and earliest is the safe reading).
     */
    private long lag(KafkaInput in, Map<TopicPartition, Long> ends)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(in.group())
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> neverCommitted = new HashMap<>();
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            if (c == null) {
                neverCommitted.put(e.getKey(), OffsetSpec.earliest());
            } else {
                lag += Math.max(0, e.getValue() - c.offset());
            }
        }
        if (!neverCommitted.isEmpty()) {
            for (Map.Entry<TopicPartition, Long> e : offsets(neverCommitted).entrySet()) {
                lag += Math.max(0, ends.get(e.getKey()) - e.getValue());
            }
        }
        return lag;
    }

    /** How far the end offsets moved; a partition new since the last poll, or whose end went back (the topic was recreated), counts from 0. */
    static long growth(Map<TopicPartition, Long> before, Map<TopicPartition, Long> now) {
        long sum = 0;
        for (Map.Entry<TopicPartition, Long> e : now.entrySet()) {
            long prev = before.getOrDefault(e.getKey(), 0L);
            sum += e.getValue() >= prev ? e.getValue() - prev : e.getValue();
        }
        return sum;
    }

    private Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetSpec> wanted)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, ListOffsetsResultInfo> got = admin.listOffsets(wanted).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        got.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }
}
