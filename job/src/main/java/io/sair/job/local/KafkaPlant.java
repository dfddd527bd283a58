package io.sair.job.local;

import io.sair.core.model.Json;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageMetrics;
import io.sair.job.SairOptions;
import io.sair.sim.plant.PipelinePlant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Simulated pipelines as a plant for the running job, in lockstep on simulated time: each round every
 * plant runs to the window's end, its StageMetrics go to the metrics topic (Kafka timestamp = report
 * time), and the round waits for each pipeline's decision for that window on the actions topic and
 * applies it; between rounds, {@link #period} publishes each report period and applies the fast path's
 * surge decisions. The job must run as {@link #lockstep} sets it.
 */
public final class KafkaPlant implements AutoCloseable {

    private final List<PipelinePlant> plants;
    private final long epochMs;
    private final String metricsTopic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, ScalingDecision> early = new HashMap<>();
    private Consumer<byte[]> rawDecisions = bytes -> { };
    private Consumer<ScalingDecision> surges = d -> { };
    private Duration lastRoundWait = Duration.ZERO;

    public KafkaPlant(String bootstrap, String metricsTopic, String actionsTopic, List<PipelinePlant> plants,
                      long epochMs) {
        this.plants = List.copyOf(plants);
        this.epochMs = epochMs;
        this.metricsTopic = metricsTopic;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(p);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "sair-plant-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(c);
        consumer.subscribe(List.of(actionsTopic));
    }

    /**
     * What the job needs to run in lockstep with this plant: zero out-of-orderness, so that the report at a window's
     * end closes that window at once (the simulator reports in order), and windows at the epoch, not staggered, so
     * that every pipeline's window ends where the round does.
     */
    public static Configuration lockstep(Configuration c) {
        c.set(SairOptions.OUT_OF_ORDERNESS, Duration.ZERO);
        c.set(SairOptions.WINDOW_STAGGER, false);
        return c;
    }

    /**
     * Hands every record read from the actions topic, unparsed and in order, to {@code listener} (the
     * demo keeps them exactly as published).
     */
    public void onRawDecision(Consumer<byte[]> listener) {
        this.rawDecisions = listener;
    }

    /** Publishes every plant's spec to the (compacted) pipelines topic. */
    public void publishSpecs(String pipelinesTopic) {
        for (PipelinePlant plant : plants) {
            PipelineSpec spec = plant.spec();
            producer.send(new ProducerRecord<>(pipelinesTopic, null, epochMs, key(spec.name()), Json.write(spec)));
        }
        producer.flush();
    }

    /**
     * Hands every surge decision to {@code listener} once it has been applied, in order of arrival, whichever call
     * ({@link #round} or {@link #period}) read it.
     */
    public void onSurge(Consumer<ScalingDecision> listener) {
        this.surges = listener;
    }

    /**
     * Runs every plant to {@code endMs} of simulated time, publishes the reports, and applies each
     * pipeline's decision for the window ending there (waiting up to {@code timeout}). Returns the
     * decisions that arrived; a pipeline without one keeps what it runs. Surge decisions read on the way are
     * applied too, in order of arrival with the round's (see {@link #onSurge}), but not returned.
     */
    public List<ScalingDecision> round(long endMs, Duration timeout) {
        publish(endMs);
        long windowEnd = epochMs + endMs;
        List<ScalingDecision> applied = new ArrayList<>();
        Set<String> decided = new HashSet<>();
        for (PipelinePlant plant : plants) {
            ScalingDecision d = early.remove(slot(plant.spec().name(), windowEnd));
            if (d != null && decided.add(d.pipeline())) {
                applyTo(d);
                applied.add(d);
            }
        }
        long waitStart = System.nanoTime();
        long deadline = waitStart + timeout.toNanos();
        while (decided.size() < plants.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollFor(deadline))) {
                ScalingDecision d = read(r);
                if (d == null || d.selector() == Selector.SURGE) {
                    continue;
                }
                // Applied as it arrives, so that a surge read after it in this wait lands on top of it.
                if (d.windowEnd() == windowEnd && decided.add(d.pipeline())) {
                    applyTo(d);
                    applied.add(d);
                } else if (d.windowEnd() > windowEnd) {
                    early.put(slot(d.pipeline(), d.windowEnd()), d);
                }
            }
        }
        lastRoundWait = Duration.ofNanos(System.nanoTime() - waitStart);
        return applied;
    }

    /**
     * One report period between rounds: runs every plant to {@code endMs}, publishes the reports, and applies
     * the fast path's decisions (selector surge) that arrive within {@code wait}, returning as soon as one has.
     * Returns those applied; a surge that arrives later is applied by the next call, never lost.
     */
    public List<ScalingDecision> period(long endMs, Duration wait) {
        publish(endMs);
        List<ScalingDecision> applied = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (applied.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollFor(deadline))) {
                ScalingDecision d = read(r);
                if (d == null) {
                    continue;
                }
                if (d.selector() == Selector.SURGE) {
                    applied.add(d);
                } else if (d.windowEnd() > epochMs + endMs) {
                    early.put(slot(d.pipeline(), d.windowEnd()), d);
                }
            }
        }
        return applied;
    }

    /** How long the last {@link #round} waited for its decisions: about how long the job takes to answer a report. */
    public Duration lastRoundWait() {
        return lastRoundWait;
    }

    private void publish(long endMs) {
        for (PipelinePlant plant : plants) {
            for (StageMetrics m : plant.advance(endMs)) {
                producer.send(new ProducerRecord<>(metricsTopic, null, m.ts(), key(m.pipeline()), Json.write(m)));
            }
        }
        producer.flush();
    }

    /**
     * One record of the actions topic: handed on raw, parsed, and applied at once when it is a surge (a surge is
     * never held back or dropped, whatever the caller waits for). Null when it is not a decision.
     */
    private ScalingDecision read(ConsumerRecord<byte[], byte[]> r) {
        rawDecisions.accept(r.value());
        ScalingDecision d = parse(r.value());
        if (d != null && d.selector() == Selector.SURGE) {
            applyTo(d);
            surges.accept(d);
        }
        return d;
    }

    private void applyTo(ScalingDecision d) {
        for (PipelinePlant plant : plants) {
            if (plant.spec().name().equals(d.pipeline())) {
                plant.apply(d);
            }
        }
    }

    /** Short polls, so that a short wait ends on time. */
    private static Duration pollFor(long deadlineNanos) {
        long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
        return Duration.ofMillis(Math.max(1, Math.min(50, leftMs)));
    }

    private static ScalingDecision parse(byte[] value) {
        try {
            return Json.read(value, ScalingDecision.class);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public List<PipelinePlant> plants() {
        return plants;
    }

    private static String slot(String pipeline, long windowEnd) {
        return pipeline + "@" + windowEnd;
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
