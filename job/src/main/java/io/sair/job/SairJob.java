package io.sair.job;

import io.sair.connectors.actuate.ActuationJoin;
import io.sair.connectors.actuate.ActuationRequest;
import io.sair.connectors.actuate.ActuationResult;
import io.sair.connectors.actuate.ActuatorFactory;
import io.sair.connectors.actuate.ActuatorFunction;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageMetrics;
import io.sair.flink.ContextOperator;
import io.sair.core.policy.llm.LlmClientFactory;
import io.sair.flink.ControllerInput;
import io.sair.flink.ControllerOperator;
import io.sair.flink.DeadLetter;
import io.sair.flink.MetricEnvelope;
import io.sair.flink.LateReports;
import io.sair.flink.MetricsGate;
import io.sair.flink.ReportWatermarks;
import io.sair.flink.RoundWindows;
import io.sair.flink.SpecChange;
import io.sair.flink.Specs;
import io.sair.flink.StageWindows;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The SAIR topology. Sources and sinks come in through the constructor: {@link SairJobMain} wires
 * Kafka, tests wire what they need.
 *
 * <pre>
 * metrics -> gate (parse errors, unknown pipeline/stage -> dead letters) -> keyBy(pipeline/stage)
 *   -> 30 s event-time windows -> a round's StageWindows (one record) -> keyBy(pipeline) -> PipelineContext
 *   -> keyBy(pipeline) -> SAIR controller (keyed state; LLM answers through the mailbox) -> decisions
 * fast path: the same window operator folds each 5 s pane between rounds -> the controller (surge)
 * pipelines (specs) -> broadcast to the gate, the context step, the controller (and the actuation join); each
 *   keeps a pipeline's spec where the pipeline's key is, in keyed state (KeyedSpecs), so a checkpoint writes each
 *   spec once, when it changed
 * optional: decisions + specs -> actuators (Kubernetes, GPU agent) -> actuation results
 * </pre>
 */
public final class SairJob {

    /** The controller's operator uid: its keyed state ({@link ControllerOperator#STATE}) is what SAIR has learned. */
    public static final String CONTROLLER_UID = "sair-controller";
    /**
     * The stage windows are keyed by pipeline and keep their reports since state layout v2 (v1,
     * {@code sair-stage-windows}, kept a running aggregate per pipeline and stage): a v1 savepoint restores with
     * {@code execution.savepoint.ignore-unclaimed-state}, losing only the windows open at the savepoint. Since
     * layout v3 the same uid is {@link StageWindows} (reports in memory, written to state at checkpoints), which
     * takes over the windows a v2 savepoint holds open.
     */
    public static final String STAGE_WINDOWS_UID = "sair-stage-windows-v2";

    private final Configuration conf;
    private final Source<MetricEnvelope, ?, ?> metricsSource;
    private final Source<SpecChange, ?, ?> specsSource;
    private final Sink<ScalingDecision> actionsSink;
    private final Sink<DeadLetter> deadLetterSink;
    private Actuation actuation;
    private Sink<ScalingDecision> statusSink;
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

    /** The streams of the topology, for tests and extensions to attach more to; actuations null when off. */
    public record Streams(DataStream<StageMetrics> admitted, DataStream<RoundWindows> windows,
                          DataStream<PipelineContext> contexts, DataStream<ScalingDecision> decisions,
                          DataStream<DeadLetter> deadLetters, DataStream<ActuationResult> actuations) {
    }

    private record Actuation(ActuatorFactory actuators, Sink<ActuationResult> results, Duration timeout) {
    }

    /** Also writes every decision to this sink (the PipelineAutoscalers' status); stateless, savepoint-compatible. */
    public SairJob withDecisionStatus(Sink<ScalingDecision> statusSink) {
        this.statusSink = statusSink;
        return this;
    }

    /** Applies the decisions with these actuators and writes what they did to {@code results}. */
    public SairJob withActuation(ActuatorFactory actuators, Sink<ActuationResult> results, Duration timeout) {
        this.actuation = new Actuation(actuators, results, timeout);
        return this;
    }

    /** Adds the topology to env. */
    public Streams build(StreamExecutionEnvironment env) {
        env.setMaxParallelism(conf.get(SairOptions.MAX_PARALLELISM));
        // Event time per Kafka partition, at the source: on a backlog, a reader that is ahead cannot pass
        // another partition's reports (the gate holds the watermark for reports that wait for their spec).
        // No alignment on a bounded source (a replay, the benchmarks): the Kafka connector (5.0.0-2.2) may pause a
        // split that has just finished and fail the job with "No current assignment for partition" (FLINK-39728).
        Duration maxDrift = metricsSource.getBoundedness() == Boundedness.BOUNDED ? Duration.ZERO
                : conf.get(SairOptions.MAX_DRIFT);
        DataStream<MetricEnvelope> metrics = env.fromSource(metricsSource, ReportWatermarks.strategy(
                        conf.get(SairOptions.OUT_OF_ORDERNESS), conf.get(SairOptions.IDLENESS), maxDrift),
                        "sair.metrics source")
                .uid("sair-metrics-source");
        // One reader: the specs topic is small, and a reader without a partition would hold back the watermark.
        DataStream<SpecChange> specChanges = env.fromSource(specsSource, specWatermarks(), "sair.pipelines source")
                .setParallelism(1)
                .uid("sair-pipelines-source");

        long windowMs = conf.get(SairOptions.WINDOW).toMillis();
        boolean staggered = conf.get(SairOptions.WINDOW_STAGGER);
        SingleOutputStreamOperator<StageMetrics> admitted = metrics
                .keyBy(MetricEnvelope::pipelineKey)
                .connect(specChanges.broadcast())
                .transform("validate metrics", TypeInformation.of(StageMetrics.class),
                        new MetricsGate(conf.get(SairOptions.PENDING_TIMEOUT).toMillis(), conf.get(SairOptions.MAX_PENDING),
                                windowMs, staggered, conf.get(SairOptions.MAX_AHEAD).toMillis()))
                .uid("sair-metrics-gate").name("validate metrics");

        // Keyed by pipeline like the gate, so the windows run chained to it: no shuffle of every report. The
        // fast path's short windows come out of the same operator, from the same reports in memory.
        long paneMs = conf.get(SairOptions.SURGE_ENABLED) ? shortWindowMs() : windowMs;
        SingleOutputStreamOperator<RoundWindows> windows = DataStreamUtils
                .reinterpretAsKeyedStream(admitted, StageMetrics::pipeline, Types.STRING)
                .transform("stage windows", TypeInformation.of(RoundWindows.class), new StageWindows(windowMs, paneMs, staggered))
                .uid(STAGE_WINDOWS_UID).name("stage windows");
        // The gate lets through nothing the windows would drop (they run on its watermark); should one
        // still come, it is a dead letter too, never silent.
        DataStream<DeadLetter> lateAtWindows = windows.getSideOutput(LateReports.TAG)
                .process(new LateReports(), TypeInformation.of(DeadLetter.class))
                .uid("sair-late-reports").name("late reports");
        DataStream<DeadLetter> deadLetters = admitted.getSideOutput(Specs.DEAD_LETTERS).union(lateAtWindows);
        deadLetters.sinkTo(deadLetterSink).uid("sair-deadletter-sink").name("sair.deadletter sink");

        DataStream<PipelineContext> contexts = windows
                .keyBy(RoundWindows::pipeline)
                .connect(specChanges.broadcast())
                .transform("pipeline contexts", TypeInformation.of(PipelineContext.class),
                        new ContextOperator(conf.get(SairOptions.CONTEXT_GRACE).toMillis()))
                .uid("sair-contexts").name("pipeline contexts");

        DataStream<ControllerInput> controllerInput = contexts.map(ControllerInput::round)
                .returns(TypeInformation.of(ControllerInput.class)).uid("sair-round-input").name("rounds");
        if (conf.get(SairOptions.SURGE_ENABLED)) {
            // Straight to the controller, which assembles them with its specs: no context step, no extra hop.
            controllerInput = controllerInput.union(windows.getSideOutput(StageWindows.SHORT_WINDOWS));
        }
        // An operator rather than a function: the LLM's answers come back through the task's mailbox.
        SingleOutputStreamOperator<ScalingDecision> decisions = controllerInput
                .keyBy(ControllerInput::pipeline)
                .connect(specChanges.broadcast())
                .transform("SAIR controller", TypeInformation.of(ScalingDecision.class),
                        new ControllerOperator(conf.get(SairOptions.PER_PIPELINE_METRICS), llm,
                                conf.get(SairOptions.HELD_EXPERIENCES)))
                .uid(CONTROLLER_UID).name("SAIR controller");
        decisions.sinkTo(actionsSink).uid("sair-actions-sink").name("sair.actions sink");
        if (statusSink != null) {
            decisions.sinkTo(statusSink).uid("sair-autoscaler-status-sink").name("PipelineAutoscaler status");
        }
        DataStream<ActuationResult> actuations = actuation == null ? null : actuate(decisions, specChanges);
        return new Streams(admitted, windows, contexts, decisions, deadLetters, actuations);
    }

    /** The fast path's window (the report period): it must divide the round's and be shorter. */
    private long shortWindowMs() {
        Duration period = conf.get(SairOptions.SURGE_WINDOW);
        long roundMs = conf.get(SairOptions.WINDOW).toMillis();
        if (period.toMillis() <= 0 || period.toMillis() >= roundMs || roundMs % period.toMillis() != 0) {
            throw new IllegalArgumentException(SairOptions.SURGE_WINDOW.key() + " (" + period + ") must divide "
                    + SairOptions.WINDOW.key() + " (" + conf.get(SairOptions.WINDOW) + ") and be shorter");
        }
        return period.toMillis();
    }

    /**
     * Decisions meet their spec, then the actuators run asynchronously (ordered, so a pipeline's
     * decisions are applied in turn); every result goes to the results sink. Added operators carry no
     * state of their own beyond in-flight requests, so switching actuation on keeps savepoints compatible.
     */
    private DataStream<ActuationResult> actuate(DataStream<ScalingDecision> decisions, DataStream<SpecChange> specChanges) {
        DataStream<ActuationRequest> requests = decisions
                .keyBy(ScalingDecision::pipeline)
                .connect(specChanges.broadcast())
                .transform("decisions with specs", TypeInformation.of(ActuationRequest.class), new ActuationJoin())
                .uid("sair-actuation-join").name("decisions with specs");
        long timeoutMs = actuation.timeout().toMillis();
        DataStream<ActuationResult> results = AsyncDataStream.orderedWait(requests,
                        new ActuatorFunction(actuation.actuators(), actuation.timeout()), timeoutMs, TimeUnit.MILLISECONDS, 100)
                .returns(TypeInformation.of(ActuationResult.class))
                .uid("sair-actuator").name("actuators");
        results.sinkTo(actuation.results()).uid("sair-actuation-results-sink").name("actuation results sink");
        return results;
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
