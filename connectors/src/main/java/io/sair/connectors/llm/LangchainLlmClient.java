package io.sair.connectors.llm;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.sair.connectors.actuate.Retry;
import io.sair.core.policy.llm.LlmClient;
import io.sair.core.policy.llm.LlmFailure;
import io.sair.core.policy.llm.LlmRequest;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * The LLM client over langchain4j. Each call runs on a worker thread (the chat models block); at most
 * {@code maxInFlight} run at once, a call beyond that fails at once. Every call has its own deadline: when
 * it passes, the future fails and the worker is interrupted, because the HTTP client's timeout only bounds
 * the wait for headers and would let a body that stalls after them hang forever. Rate limits, server
 * errors and timeouts are retried (at most {@code maxRetries} times) while the deadline leaves room, under
 * the same {@link Retry} policy as the actuators (backoff 100 ms, doubling).
 */
public final class LangchainLlmClient implements LlmClient {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final LlmSettings settings;
    private final Map<String, String> env;
    private final long deadlineMs;
    private final Semaphore permits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Map<String, ChatModel> models = new ConcurrentHashMap<>();
    private final Retry retry;
    private final Retry.Sleeper sleeper;

    public LangchainLlmClient(LlmSettings settings, Map<String, String> env) {
        this(settings, env, Retry.Sleeper.REAL);
    }

    /** With the wait between attempts injected, so that tests see the backoffs without waiting. */
    public LangchainLlmClient(LlmSettings settings, Map<String, String> env, Retry.Sleeper sleeper) {
        this.settings = settings;
        this.sleeper = sleeper;
        // The deadline caps the backoff in practice (see callWithRetries); the cap here only has to be above it.
        this.retry = new Retry(settings.maxRetries() + 1, FIRST_BACKOFF,
                Duration.ofMillis(Math.max(FIRST_BACKOFF.toMillis(), settings.timeout().toMillis())));
        this.env = Map.copyOf(env);
        this.deadlineMs = settings.timeout().toMillis();
        this.permits = new Semaphore(settings.maxInFlight());
        this.workers = Executors.newCachedThreadPool(daemons("sair-llm-call"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemons("sair-llm-deadline"));
    }

    @Override
    public long deadlineMs() {
        return deadlineMs;
    }

    /** Calls running now (a cut-off call counts until its worker has let go). */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public CompletableFuture<String> ask(LlmRequest request) {
        LlmProvider provider;
        try {
            provider = request.provider() != null ? LlmProvider.parse(request.provider()) : settings.provider();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new LlmFailure(e.getMessage()));
        }
        if (provider == null) {
            return CompletableFuture.failedFuture(new LlmFailure("no LLM provider configured"));
        }
        if (!permits.tryAcquire()) {
            return CompletableFuture.failedFuture(new LlmFailure("too many LLM calls in flight (limit "
                    + settings.maxInFlight() + ")"));
        }
        inFlight.incrementAndGet();
        CompletableFuture<String> result = new CompletableFuture<>();
        long start = System.nanoTime();
        Future<?> work;
        try {
            work = workers.submit(() -> {
                try {
                    result.complete(callWithRetries(provider, request, start));
                } catch (Throwable t) {
                    result.completeExceptionally(failure(t));
                } finally {
                    inFlight.decrementAndGet();
                    permits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            permits.release();
            return CompletableFuture.failedFuture(new LlmFailure("LLM client closed"));
        }
        ScheduledFuture<?> cut = timer.schedule(() -> {
            if (result.completeExceptionally(new LlmFailure("timed out: no answer within " + deadlineMs + " ms"))) {
                work.cancel(true);
            }
        }, deadlineMs, TimeUnit.MILLISECONDS);
        result.whenComplete((answer, error) -> cut.cancel(false));
        return result;
    }

    private String callWithRetries(LlmProvider provider, LlmRequest request, long start) throws Exception {
        ChatModel model = model(provider, request.model());
        ChatRequest chat = chatRequest(request);
        Retry.Result<String> r = retry.run(new Retry.Attempt<>() {
            private int calls;

            @Override
            public String call() {
                calls++;
                ChatResponse answer = model.chat(chat);
                String text = answer.aiMessage() == null ? null : answer.aiMessage().text();
                return text == null ? "" : text;
            }

            @Override
            public boolean retryable(Exception e) {
                // Another try only while the deadline leaves room for its backoff and about as long again.
                long left = deadlineMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                return retriable(e) && left >= 2 * retry.backoffBefore(calls + 1).toMillis();
            }
        }, sleeper);
        if (!r.ok()) {
            throw r.failure();
        }
        return r.value();
    }

    private ChatModel model(LlmProvider provider, String requestedModel) {
        String name = requestedModel != null ? requestedModel : settings.modelFor(provider);
        return models.computeIfAbsent(provider.wire() + "|" + name, k -> ChatModels.create(provider,
                settings.baseUrlFor(provider), name, ApiKeys.find(provider, settings, env), settings.timeout()));
    }

    static ChatRequest chatRequest(LlmRequest request) {
        JsonSchema schema = JsonSchema.builder()
                .name("sair_scaling_action")
                .rootElement(JsonRawSchema.from(request.schema().asString()))
                .build();
        return ChatRequest.builder()
                .messages(SystemMessage.from(request.prompt().system()), UserMessage.from(request.prompt().user()))
                .temperature(request.temperature())
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build())
                .build();
    }

    private static boolean retriable(Throwable e) {
        return e instanceof RateLimitException || e instanceof InternalServerException || timeout(e);
    }

    private static boolean timeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.langchain4j.exception.TimeoutException || t instanceof HttpTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** A reason for the decision record: the kind of failure and the HTTP status, never the provider's text. */
    static LlmFailure failure(Throwable e) {
        if (e instanceof LlmFailure f) {
            return f;
        }
        Integer status = status(e);
        String http = status == null ? "" : " (HTTP " + status + ")";
        if (e instanceof RateLimitException) {
            return new LlmFailure("rate limited by the provider" + http, e);
        }
        if (e instanceof InternalServerException) {
            return new LlmFailure("provider server error" + http, e);
        }
        if (e instanceof AuthenticationException) {
            return new LlmFailure("authentication failed" + http + ": check the API key", e);
        }
        if (e instanceof ModelNotFoundException) {
            return new LlmFailure("model not found" + http, e);
        }
        if (e instanceof InvalidRequestException) {
            return new LlmFailure("request refused by the provider" + http, e);
        }
        if (e instanceof InterruptedException || e.getCause() instanceof InterruptedException) {
            return new LlmFailure("call cut off at the deadline", e);
        }
        String network = networkFailure(e);
        if (network != null) {
            return new LlmFailure(network, e);
        }
        if (timeout(e)) {
            return new LlmFailure("timed out waiting for the provider", e);
        }
        if (status != null) {
            return new LlmFailure("the provider answered HTTP " + status, e);
        }
        if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
            // Our own configuration errors (a missing key, say): their messages are ours and carry no secret.
            return new LlmFailure("LLM not usable: " + e.getMessage(), e);
        }
        return new LlmFailure("unreadable response from the provider (" + e.getClass().getSimpleName() + ")", e);
    }

    /**
     * What kept the request from reaching the provider, from the cause chain (the HTTP client wraps these in
     * plain RuntimeExceptions): DNS, TLS, or the connection itself; null when the request got through. DNS
     * comes first: the JDK reports an unresolvable host as a ConnectException caused by it.
     */
    static String networkFailure(Throwable e) {
        if (find(e, UnresolvedModelServerException.class) != null || find(e, UnknownHostException.class) != null
                || find(e, UnresolvedAddressException.class) != null) {
            return "the provider's host name does not resolve (DNS)";
        }
        if (find(e, SSLException.class) != null) {
            return "TLS handshake with the provider failed";
        }
        if (timeout(e)) {
            return null;
        }
        ConnectException refused = find(e, ConnectException.class);
        if (refused == null) {
            return null;
        }
        // The JDK's message is the system's (e.g. "No route to host"); none means the port refused.
        String why = null;
        for (Throwable t = refused; t != null && why == null; t = t.getCause()) {
            why = t instanceof ConnectException ? t.getMessage() : null;
        }
        return why == null || why.toLowerCase(Locale.ROOT).contains("refused")
                ? "connection refused by the provider's address"
                : "could not connect to the provider (" + why + ")";
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Integer status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException h) {
                return h.statusCode();
            }
        }
        return null;
    }

    @Override
    public void close() {
        workers.shutdownNow();
        timer.shutdownNow();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
