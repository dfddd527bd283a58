package io.sair.connectors.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the actuators for each request off the task thread (API calls and their backoffs must not
 * hold up checkpoints), one request at a time per subtask so a pipeline's decisions are applied in
 * order. Emits one {@link ActuationResult} per actuator that had something to do. Nothing here fails the job: an actuator that
 * throws or overruns the operator's timeout becomes a failed result. In-flight requests are part of
 * the checkpoint and run again after a restore, which absolute targets make harmless.
 */
public final class ActuatorFunction extends RichAsyncFunction<ActuationRequest, ActuationResult> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ActuatorFunction.class);

    private final ActuatorFactory factory;
    private final Duration timeout;

    private transient List<Actuator> actuators;
    private transient ExecutorService executor;
    private transient Counter applied;
    private transient Counter unchanged;
    private transient Counter shadow;
    private transient Counter failed;
    private transient Counter retries;

    /** @param timeout the operator's timeout (for the message of a timed-out result) */
    public ActuatorFunction(ActuatorFactory factory, Duration timeout) {
        this.factory = factory;
        this.timeout = timeout;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        actuators = factory.create();
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sair-actuator");
            t.setDaemon(true);
            return t;
        });
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("sair").addGroup("actuations");
        applied = g.counter("applied");
        unchanged = g.counter("unchanged");
        shadow = g.counter("shadow");
        failed = g.counter("failed");
        retries = g.counter("retries");
    }

    @Override
    public void asyncInvoke(ActuationRequest request, ResultFuture<ActuationResult> resultFuture) {
        executor.execute(() -> resultFuture.complete(applyAll(request)));
    }

    /**
     * Every actuator's result for one request; a throwing actuator yields a failed result. An actuator
     * with nothing to do for the decision (say, the Kubernetes one when only a GPU rate changes) adds none.
     */
    List<ActuationResult> applyAll(ActuationRequest request) {
        List<ActuationResult> results = new ArrayList<>();
        for (Actuator a : actuators) {
            ActuationResult r;
            try {
                r = a.apply(request);
            } catch (RuntimeException e) {
                r = failure(request, a.name(), "actuator error: " + e);
                LOG.error("actuator {} threw on decision {}", a.name(), request.decision().decisionId(), e);
            }
            if (!r.steps().isEmpty()) {
                record(r);
                results.add(r);
            }
        }
        return results;
    }

    @Override
    public void timeout(ActuationRequest request, ResultFuture<ActuationResult> resultFuture) {
        List<ActuationResult> results = new ArrayList<>();
        for (Actuator a : actuators) {
            ActuationResult r = failure(request, a.name(), "not finished within " + timeout
                    + " (sair.actuate.timeout); it may still complete");
            record(r);
            results.add(r);
        }
        resultFuture.complete(results);
    }

    private static ActuationResult failure(ActuationRequest request, String actuator, String error) {
        return ActuationResult.of(request.decision(), actuator, List.of(ActuationStep.failed(null, null,
                request.decision().pipeline(), null, 0, error)));
    }

    private void record(ActuationResult r) {
        switch (r.outcome()) {
            case APPLIED -> applied.inc();
            case UNCHANGED -> unchanged.inc();
            case SHADOW -> shadow.inc();
            case FAILED -> failed.inc();
        }
        retries.inc(r.retries());
        if (r.outcome() == Outcome.FAILED) {
            r.steps().stream().filter(s -> s.outcome() == Outcome.FAILED).forEach(s -> LOG.warn(
                    "{} failed for decision {} stage {} {}: {}", r.actuator(), r.decisionId(), s.stage(), s.object(),
                    s.error()));
        } else if (r.outcome() != Outcome.UNCHANGED) {
            LOG.info("{} {} decision {} ({} steps)", r.actuator(), r.outcome().wire(), r.decisionId(), r.steps().size());
        }
    }

    @Override
    public void close() throws Exception {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (actuators != null) {
            for (Actuator a : actuators) {
                try {
                    a.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing actuator {} failed", a.name(), e);
                }
            }
        }
    }
}
