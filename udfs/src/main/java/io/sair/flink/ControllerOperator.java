package io.sair.flink;

import io.sair.core.ControllerState;
import io.sair.core.Next;
import io.sair.core.Round;
import io.sair.core.Route;
import io.sair.core.SairController;
import io.sair.core.SairController.Outcome;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.llm.LlmClient;
import io.sair.core.policy.llm.LlmClientFactory;
import io.sair.core.surge.ArrivalTrend;
import io.sair.core.window.ContextAssembler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.operators.YieldingOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The SAIR controller as a keyed two-input operator (contexts keyed by pipeline; spec changes broadcast, each kept
 * by the subtask that owns its pipeline, {@link KeyedSpecs}), so that
 * the LLM call can sit inside the stateful step: the round begins on the task thread, the call goes out
 * without blocking it, and the answer comes back through the task's mailbox, where it meets the keyed
 * state directly (validate, record the pending decision, emit). A function cannot do this: it has no
 * mailbox. Flink's async I/O as a separate step (the fallback shape) cannot touch this keyed state: the
 * decision would have to be fed back (an iteration, or the actions topic) before the controller could
 * record it as pending, and the next round could meet a state that does not know the last decision yet.
 *
 * <p>Checkpoint safety: the context of a call in flight is keyed state ({@link #IN_FLIGHT}); the
 * controller state is not touched until the answer is handled, so a checkpoint taken meanwhile holds
 * the round as not yet decided, and after a restore every call in flight is issued again. An answer is
 * handled only if its round is still the one in flight (a stale answer is dropped).
 *
 * <p>No round is skipped and a slow LLM never holds up the stream: the client fails every call by its
 * deadline (then the built-in selector decides, marked fallback), and a context that arrives while the
 * previous round still waits decides that round with the built-in selector first. Without a provider
 * (job default or the pipeline's own) a round runs exactly as the synchronous controller did.
 *
 * <p>The fast path: a short window (one report period, {@link ControllerInput#shortWindow}) goes to
 * {@link SairController#surge}, whose decision (selector {@code surge}) is emitted at once, beside the rounds'.
 * A surge may come while a round waits for the LLM; that round then finishes with the surge's marks carried
 * into its state ({@link SurgeCarry}), so the surge's hold and peak outlive the round's answer.
 *
 * <p>State names and the uid are those of the former {@code ControllerFunction}, so savepoints restore.
 */
public final class ControllerOperator extends AbstractStreamOperator<ScalingDecision>
        implements TwoInputStreamOperator<ControllerInput, SpecChange, ScalingDecision>, YieldingOperator<ScalingDecision> {

    private static final long serialVersionUID = 1L;

    public static final ValueStateDescriptor<ControllerState> STATE =
            new ValueStateDescriptor<>("controller-state", TypeInformation.of(ControllerState.class));
    /** The context of the round whose LLM call is in flight (empty when none). */
    public static final ValueStateDescriptor<PipelineContext> IN_FLIGHT =
            new ValueStateDescriptor<>("llm-in-flight", TypeInformation.of(PipelineContext.class));
    /**
     * Rounds of a pipeline whose spec this operator has not seen yet. The gate releases a pipeline's reports once it
     * has the spec, but the spec reaches this operator on its own broadcast channel and can come after the rounds
     * (seen on a loaded machine: a pipeline's first window dropped); they wait here and are decided when it comes.
     */
    static final ListStateDescriptor<PipelineContext> AWAITING_SPEC =
            new ListStateDescriptor<>("rounds-awaiting-spec", TypeInformation.of(PipelineContext.class));
    static final String SUPERSEDED = "no LLM answer before the next window";

    private final boolean perPipelineMetrics;
    private final LlmClientFactory llmFactory;
    private final long heldWeight;

    private transient MailboxExecutor mailbox;
    private transient SairController controller;
    private transient LlmClient client;
    private transient String defaultProvider;
    private transient HeldState<ControllerState> state;
    private transient ValueState<PipelineContext> inFlight;
    private transient ListState<PipelineContext> awaitingSpec;
    private transient KeyedSpecs specs;
    private transient ControllerMetrics metrics;
    private transient Counter llmCalls;
    /** Pipelines whose LLM call may be in flight ({@link #IN_FLIGHT} set): no state lookup for the others. */
    private transient Set<String> asking;
    /** Rounds begun and waiting for their answer, by pipeline; rebuilt from state after a restore. */
    private transient Map<String, Round> waiting;
    private transient int callsOut;
    /**
     * Each pipeline's last report periods (its arrival trend, for the fast path's projection), in memory only: it is
     * four short windows, rebuilt within 20 s of event time after a restore or a rescale (no projection until then),
     * and read on every short window, where a state lookup per window would cost every pipeline.
     */
    private transient Map<String, ArrivalTrend> trends;

    /**
     * @param llmFactory the LLM client to create on the task; null: no LLM at all (every round built-in, a
     *     pipeline that asks for the LLM gets the fallback)
     */
    public ControllerOperator(boolean perPipelineMetrics, LlmClientFactory llmFactory) {
        this(perPipelineMetrics, llmFactory, 0);
    }

    /**
     * @param heldWeight how much learned state is kept in memory to be read without the state backend, in
     *     experiences (each pipeline's state weighs 1 + its experiences; {@link HeldState}); 0: read every round
     */
    public ControllerOperator(boolean perPipelineMetrics, LlmClientFactory llmFactory, long heldWeight) {
        this.perPipelineMetrics = perPipelineMetrics;
        this.llmFactory = llmFactory;
        this.heldWeight = heldWeight;
    }

    @Override
    public void setMailboxExecutor(MailboxExecutor mailboxExecutor) {
        this.mailbox = mailboxExecutor;
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (mailbox == null) {
            // Not created through a factory that hands it over (operator test harnesses): ask the task.
            mailbox = getContainingTask().getMailboxExecutorFactory().createExecutor(getOperatorConfig().getChainIndex());
        }
        controller = SairController.defaults();
        state = new HeldState<>(getRuntimeContext().getState(STATE), s -> 1L + s.experiences().size(), heldWeight);
        inFlight = getRuntimeContext().getState(IN_FLIGHT);
        awaitingSpec = getRuntimeContext().getListState(AWAITING_SPEC);
        specs = KeyedSpecs.open(this);
        metrics = new ControllerMetrics(getRuntimeContext().getMetricGroup(), perPipelineMetrics);
        llmCalls = metrics.llm(() -> callsOut);
        waiting = new HashMap<>();
        asking = new HashSet<>();
        trends = new HashMap<>();
        if (llmFactory != null) {
            client = llmFactory.create();
            defaultProvider = llmFactory.defaultProvider();
        }
        reissueAfterRestore();
    }

    /** Calls in flight at the checkpoint are asked again, from the mailbox once the task runs. */
    private void reissueAfterRestore() throws Exception {
        List<String> keys = new ArrayList<>();
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, IN_FLIGHT,
                (key, s) -> {
                    if (s.value() != null) {
                        keys.add((String) key);
                        asking.add((String) key);
                    }
                });
        for (String key : keys) {
            mailbox.execute(() -> reissue(key), "SAIR: re-issue the LLM call of %s", key);
        }
    }

    private void reissue(String key) throws Exception {
        setCurrentKey(key);
        PipelineContext ctx = inFlight(key);
        if (ctx == null) {
            return;
        }
        PipelineSpec spec = specs.get(ctx.pipeline());
        if (spec == null) {
            clearInFlight(key);
            return;
        }
        Round round = controller.begin(current(spec), ctx, spec);
        decideOrAsk(key, round);
    }

    @Override
    public void processElement1(StreamRecord<ControllerInput> record) throws Exception {
        if (record.getValue().isShortWindow()) {
            surge(record.getValue().shortWindow());
        } else {
            round(record.getValue().context());
        }
    }

    private void round(PipelineContext ctx) throws Exception {
        PipelineSpec spec = specs.get(ctx.pipeline());
        if (spec == null) {
            awaitingSpec.add(ctx);
            return;
        }
        String key = ctx.pipeline();
        PipelineContext pending = inFlight(key);
        if (pending != null) {
            if (ctx.windowEnd() <= pending.windowEnd()) {
                return; // this window (or an older one) is being decided already
            }
            // The LLM has not answered the last round by now: decide it without the LLM, then this one.
            Round late = roundInFlight(key, pending, spec);
            emit(key, controller.fallback(late, SUPERSEDED));
        }
        ControllerState current = current(spec);
        if (!controller.accepts(current, ctx, spec)) {
            return;
        }
        decideOrAsk(key, controller.begin(current, ctx, spec));
    }

    /**
     * The fast path on one report period's window, assembled here with the spec as a round's context is (stages
     * the spec does not name are left out, missing ones named). A window not newer than the round in flight is
     * stale (that round has its reports already); the controller refuses those not newer than the last round decided.
     */
    private void surge(List<StageWindow> shortWindow) throws Exception {
        PipelineSpec spec = specs.get(shortWindow.get(0).pipeline());
        if (spec == null) {
            return;
        }
        Map<String, StageWindow> byStage = new HashMap<>();
        shortWindow.forEach(w -> byStage.put(w.stage(), w));
        PipelineContext ctx = ContextAssembler.assemble(spec, shortWindow.get(0).windowEnd(), byStage);
        ArrivalTrend trend = trends.getOrDefault(ctx.pipeline(), ArrivalTrend.none()).observe(ctx);
        trends.put(ctx.pipeline(), trend);
        double growth = controller.growth(trend);
        if (!controller.mightSurge(ctx, spec, growth)) {
            return; // the common case, decided without reading any state
        }
        String key = ctx.pipeline();
        PipelineContext pending = inFlight(key);
        if (pending != null && ctx.windowEnd() <= pending.windowEnd()) {
            return;
        }
        Optional<Outcome> o = controller.surge(current(spec), ctx, spec, growth);
        if (o.isPresent()) {
            // The round in flight (if any) stays in flight: its answer finishes it with these marks carried in.
            state.update(key, o.get().state());
            metrics.record(o.get().decision(), o.get().state());
            output.collect(new StreamRecord<>(o.get().decision(), o.get().decision().windowEnd() - 1));
        }
    }

    /** The controller decides the round; only a question to the LLM goes out and is recorded as in flight. */
    private void decideOrAsk(String key, Round round) throws Exception {
        Next next = controller.decide(round, Route.of(round.spec().policy(), client != null, defaultProvider));
        if (next instanceof Next.Ask question) {
            ask(key, question);
        } else {
            emit(key, ((Next.Decided) next).outcome());
        }
    }

    private void ask(String key, Next.Ask question) throws Exception {
        Round round = question.round();
        inFlight.update(round.context());
        asking.add(key);
        waiting.put(key, round);
        long windowEnd = round.context().windowEnd();
        CompletableFuture<String> answer;
        try {
            answer = client.ask(question.request());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        callsOut++;
        llmCalls.inc();
        answer.whenComplete((text, error) -> {
            try {
                mailbox.execute(() -> answered(key, windowEnd, text, error), "SAIR: LLM answer for %s", key);
            } catch (RejectedExecutionException e) {
                // The task is shutting down: the call is in keyed state and is issued again after a restore.
            }
        });
    }

    /** On the mailbox thread: the answer (or failure) of a call, used if its round is still the one in flight. */
    private void answered(String key, long windowEnd, String text, Throwable error) throws Exception {
        callsOut--;
        setCurrentKey(key);
        PipelineContext pending = inFlight(key);
        if (pending == null || pending.windowEnd() != windowEnd) {
            return; // decided meanwhile (superseded, or the pipeline was removed)
        }
        PipelineSpec spec = specs.get(pending.pipeline());
        if (spec == null) {
            clearInFlight(key);
            waiting.remove(key);
            return;
        }
        Round round = roundInFlight(key, pending, spec);
        emit(key, error == null ? controller.answered(round, text) : controller.failed(round, error));
    }

    /**
     * The round of the call in flight: kept in memory, or begun again from state after a restore (begin is pure);
     * with the marks of surges since it began carried in.
     */
    private Round roundInFlight(String key, PipelineContext pending, PipelineSpec spec) throws Exception {
        Round r = waiting.get(key);
        return r != null && r.context().windowEnd() == pending.windowEnd() ? SurgeCarry.carry(r, state.value(key))
                : controller.begin(current(spec), pending, spec);
    }

    /** The current key's state, or a new pipeline's. */
    private ControllerState current(PipelineSpec spec) throws Exception {
        ControllerState s = state.value(getCurrentKey());
        return s != null ? s : ControllerState.initial(spec.policy().epsilon());
    }

    /** The context of the current key's round whose LLM call is in flight, or null. */
    private PipelineContext inFlight(String key) throws Exception {
        return asking.contains(key) ? inFlight.value() : null;
    }

    private void clearInFlight(String key) {
        if (asking.remove(key)) {
            inFlight.clear();
        }
    }

    private void emit(String key, Outcome o) throws Exception {
        state.update(key, o.state());
        clearInFlight(key);
        waiting.remove(key);
        metrics.record(o.decision(), o.state());
        output.collect(new StreamRecord<>(o.decision(), o.decision().windowEnd() - 1));
    }

    @Override
    public void processElement2(StreamRecord<SpecChange> record) throws Exception {
        SpecChange c = record.getValue();
        specs.apply(c);
        List<PipelineContext> awaiting = new ArrayList<>();
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, AWAITING_SPEC,
                (key, s) -> {
                    if (key.equals(c.pipeline())) {
                        s.get().forEach(awaiting::add);
                        s.clear();
                    }
                });
        if (!c.removal()) {
            // Only this subtask's keys are visited above, so the pipeline's key is ours where any round waited.
            if (!awaiting.isEmpty()) {
                setCurrentKey(c.pipeline());
            }
            for (PipelineContext ctx : awaiting) {
                round(ctx);
            }
        } else {
            for (ValueStateDescriptor<?> d : List.of(STATE, IN_FLIGHT)) {
                getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d,
                        (key, s) -> {
                            if (key.equals(c.pipeline())) {
                                s.clear();
                            }
                        });
            }
            waiting.remove(c.pipeline());
            asking.remove(c.pipeline());
            state.drop(c.pipeline());
            trends.remove(c.pipeline());
        }
    }

    /**
     * At the end of a bounded input, wait for the answers still out (each comes by the client's deadline);
     * a client that broke its deadline must not hold the end of the job, so what is left then falls back.
     */
    @Override
    public void finish() throws Exception {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((client == null ? 0 : client.deadlineMs()) + 1_000);
        while (callsOut > 0 && System.nanoTime() < until) {
            if (!mailbox.tryYield()) {
                Thread.sleep(5);
            }
        }
        for (String key : new ArrayList<>(waiting.keySet())) {
            setCurrentKey(key);
            PipelineContext pending = inFlight(key);
            PipelineSpec spec = pending == null ? null : specs.get(pending.pipeline());
            if (spec != null) {
                emit(key, controller.fallback(roundInFlight(key, pending, spec), "no LLM answer before the end of the input"));
            }
        }
        super.finish();
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        super.close();
    }
}
