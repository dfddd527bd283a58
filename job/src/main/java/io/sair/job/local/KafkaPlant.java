package io.sair.job.local;

import io.sair.core.model.Json;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageMetrics;
import io.sair.sim.plant.PipelinePlant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
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
 * applies it. The job must run with zero out-of-orderness for the report at a window's end to close
 * that window at once (the simulator reports in order).
 */
public final class KafkaPlant implements AutoCloseable {

    private final List<PipelinePlant> plants;
    private final long epochMs;
    private final String metricsTopic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, ScalingDecision> early = new HashMap<>();
    private Consumer<byte[]> rawDecisions = bytes -> { };

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
     * Runs every plant to {@code endMs} of simulated time, publishes the reports, and applies each
     * pipeline's decision for the window ending there (waiting up to {@code timeout}). Returns the
     * decisions that arrived; a pipeline without one keeps what it runs.
     */
    public List<ScalingDecision> round(long endMs, Duration timeout) {
        publish(endMs);
        long windowEnd = epochMs + endMs;
        Map<String, ScalingDecision> got = awaitDecisions(windowEnd, timeout);
        List<ScalingDecision> applied = new ArrayList<>();
        for (PipelinePlant plant : plants) {
            ScalingDecision d = got.get(plant.spec().name());
            if (d != null) {
                plant.apply(d);
                applied.add(d);
            }
        }
        return applied;
    }

    /**
     * One report period between rounds: runs every plant to {@code endMs}, publishes the reports, and applies
     * the fast path's decisions (selector surge) up to there that arrive within {@code wait}, returning as soon
     * as one has. Returns those applied.
     */
    public List<ScalingDecision> period(long endMs, Duration wait) {
        publish(endMs);
        List<ScalingDecision> applied = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (applied.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                rawDecisions.accept(r.value());
                ScalingDecision d = parse(r.value());
                if (d != null && d.windowEnd() > epochMs + endMs && d.selector() != Selector.SURGE) {
                    early.put(slot(d.pipeline(), d.windowEnd()), d);
                } else if (d != null && d.selector() == Selector.SURGE) {
                    plants.stream().filter(p -> p.spec().name().equals(d.pipeline())).forEach(p -> p.apply(d));
                    applied.add(d);
                }
            }
        }
        return applied;
    }

    private void publish(long endMs) {
        for (PipelinePlant plant : plants) {
            for (StageMetrics m : plant.advance(endMs)) {
                producer.send(new ProducerRecord<>(metricsTopic, null, m.ts(), key(m.pipeline()), Json.write(m)));
            }
        }
        producer.flush();
    }

    private static ScalingDecision parse(byte[] value) {
        try {
            return Json.read(value, ScalingDecision.class);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Map<String, ScalingDecision> awaitDecisions(long windowEnd, Duration timeout) {
        Map<String, ScalingDecision> got = new HashMap<>();
        for (PipelinePlant plant : plants) {
            ScalingDecision d = early.remove(slot(plant.spec().name(), windowEnd));
            if (d != null) {
                got.put(d.pipeline(), d);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < plants.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                rawDecisions.accept(r.value());
                ScalingDecision d = parse(r.value());
                if (d == null) {
                    continue;
                }
                if (d.windowEnd() == windowEnd) {
                    got.put(d.pipeline(), d);
                } else if (d.windowEnd() > windowEnd && d.selector() != Selector.SURGE) {
                    early.put(slot(d.pipeline(), d.windowEnd()), d);
                }
            }
        }
        return got;
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
