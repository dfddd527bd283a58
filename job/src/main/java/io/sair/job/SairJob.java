package io.sair.job;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageWindow;
import io.sair.core.window.StageAccumulator;
import io.sair.flink.ContextFunction;
import io.sair.core.policy.llm.LlmClientFactory;
import io.sair.flink.ControllerOperator;
import io.sair.flink.DeadLetter;
import io.sair.flink.MetricEnvelope;
import io.sair.flink.MetricsGate;
import io.sair.flink.SpecChange;
import io.sair.flink.Specs;
import io.sair.flink.StageWindowAggregate;
import io.sair.flink.StageWindowResult;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The SAIR topology. Sources and sinks come in through the constructor: {@link SairJobMain} wires
 * Kafka, tests wire what they need.
 *
 * <pre>
 * metrics -> gate (parse errors, unknown pipeline/stage -> dead letters) -> keyBy(pipeline/stage)
 *   -> 30 s event-time windows -> StageWindow -> keyBy(pipeline) -> PipelineContext
 *   -> keyBy(pipeline) -> SAIR controller (keyed state; LLM answers through the mailbox) -> decisions
 * pipelines (specs) -> broadcast to the gate, the context step and the controller
 * </pre>
 */
public final class SairJob {

    private final Configuration conf;
    private final Source<MetricEnvelope, ?, ?> metricsSource;
    private final Source<SpecChange, ?, ?> specsSource;
    private final Sink<ScalingDecision> actionsSink;
    private final Sink<DeadLetter> deadLetterSink;
    private final LlmClientFactory llm;

    public SairJob(Configuration conf, Source<MetricEnvelope, ?, ?> metricsSource, Source<SpecChange, ?, ?> specsSource,
                   Sink<ScalingDecision> actionsSink, Sink<DeadLetter> deadLetterSink) {
        this(conf, metricsSource, specsSource, actionsSink, deadLetterSink, LlmWiring.factory(conf, System.getenv()));
    }

    /** @param llm the LLM client factory of the controller; null: no LLM (every round built-in) */
    public SairJob(Configuration conf, Source<MetricEnvelope, ?, ?> metricsSource, Source<SpecChange, ?, ?> specsSource,
                   Sink<ScalingDecision> actionsSink, Sink<DeadLetter> deadLetterSink, LlmClientFactory llm) {
        this.llm = llm;
        this.conf = conf;
        this.metricsSource = metricsSource;
        this.specsSource = specsSource;
        this.actionsSink = actionsSink;
        this.deadLetterSink = deadLetterSink;
    }

    /** The streams of the topology, for tests and extensions to attach more to. */
    public record Streams(DataStream<StageMetrics> admitted, DataStream<StageWindow> windows,
                          DataStream<PipelineContext> contexts, DataStream<ScalingDecision> decisions,
                          DataStream<DeadLetter> deadLetters) {
    }

    /** Adds the topology to env. */
    public Streams build(StreamExecutionEnvironment env) {
        env.setMaxParallelism(conf.get(SairOptions.MAX_PARALLELISM));
        WatermarkStrategy<MetricEnvelope> watermarks = WatermarkStrategy
                .<MetricEnvelope>forBoundedOutOfOrderness(conf.get(SairOptions.OUT_OF_ORDERNESS))
                // A record that did not parse must not move event time: it is dead-lettered at once anyway.
                .withTimestampAssigner((e, kafkaTs) -> e.ok() ? e.eventTime() : Long.MIN_VALUE)
                .withIdleness(conf.get(SairOptions.IDLENESS));
        DataStream<MetricEnvelope> metrics = env.fromSource(metricsSource, watermarks, "sair.metrics source")
                .uid("sair-metrics-source");
        // One reader: the specs topic is small, and a reader without a partition would hold back the watermark.
        DataStream<SpecChange> specChanges = env.fromSource(specsSource, specWatermarks(), "sair.pipelines source")
                .setParallelism(1)
                .uid("sair-pipelines-source");
        BroadcastStream<SpecChange> specs = specChanges.broadcast(Specs.DESCRIPTOR);

        SingleOutputStreamOperator<StageMetrics> admitted = metrics
                .keyBy(MetricEnvelope::pipelineKey)
                .connect(specs)
                .process(new MetricsGate(conf.get(SairOptions.PENDING_TIMEOUT).toMillis(),
                        conf.get(SairOptions.MAX_PENDING)), TypeInformation.of(StageMetrics.class))
                .uid("sair-metrics-gate").name("validate metrics");
        DataStream<DeadLetter> deadLetters = admitted.getSideOutput(Specs.DEAD_LETTERS);
        deadLetters.sinkTo(deadLetterSink).uid("sair-deadletter-sink").name("sair.deadletter sink");

        DataStream<StageWindow> windows = admitted
                .keyBy(m -> m.pipeline() + "/" + m.stage())
                .window(TumblingEventTimeWindows.of(conf.get(SairOptions.WINDOW)))
                .aggregate(new StageWindowAggregate(), new StageWindowResult(), TypeInformation.of(StageAccumulator.class),
                        TypeInformation.of(StageAccumulator.class), TypeInformation.of(StageWindow.class))
                .uid("sair-stage-windows").name("stage windows");

        DataStream<PipelineContext> contexts = windows
                .keyBy(StageWindow::pipeline)
                .connect(specs)
                .process(new ContextFunction(conf.get(SairOptions.CONTEXT_GRACE).toMillis()),
                        TypeInformation.of(PipelineContext.class))
                .uid("sair-contexts").name("pipeline contexts");

        // An operator rather than a function: the LLM's answers come back through the task's mailbox.
        SingleOutputStreamOperator<ScalingDecision> decisions = contexts
                .keyBy(PipelineContext::pipeline)
                .connect(specChanges.broadcast())
                .transform("SAIR controller", TypeInformation.of(ScalingDecision.class),
                        new ControllerOperator(conf.get(SairOptions.PER_PIPELINE_METRICS), llm))
                .uid("sair-controller").name("SAIR controller");
        decisions.sinkTo(actionsSink).uid("sair-actions-sink").name("sair.actions sink");
        return new Streams(admitted, windows, contexts, decisions, deadLetters);
    }

    /**
     * The specs side carries no event time: it declares itself idle, so it never holds back the
     * watermark of the metrics it is connected with. (Emitting Long.MAX_VALUE instead would be wrong:
     * while the metrics are idle, the connected operators would jump to the end of time for good.)
     */
    static WatermarkStrategy<SpecChange> specWatermarks() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(SpecChange event, long eventTimestamp, WatermarkOutput output) {
                output.markIdle();
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }
}
