package io.sair.connectors.llm;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * The langchain4j chat model of each provider, built the same way: the JDK HTTP client (HTTP/1.1),
 * no retries of its own (the caller retries within its deadline), request logging off (requests carry
 * the key).
 */
final class ChatModels {

    /** The answer is one small JSON object; this caps what a runaway model can send back. */
    static final int MAX_OUTPUT_TOKENS = 1024;

    private ChatModels() {
    }

    static ChatModel create(LlmProvider provider, String baseUrl, String model, String apiKey, Duration timeout) {
        return switch (provider) {
            case OPENAI -> OpenAiChatModel.builder()
                    .httpClientBuilder(http(timeout))
                    .baseUrl(baseUrl)
                    // A local OpenAI-compatible server (vLLM, llama.cpp) needs no key, but the client wants one.
                    .apiKey(apiKey == null ? "none" : apiKey)
                    .modelName(model)
                    .maxTokens(MAX_OUTPUT_TOKENS)
                    // The schema is written for strict mode: every property required, unused targets null.
                    .strictJsonSchema(true)
                    .maxRetries(0)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
            case OLLAMA -> OllamaChatModel.builder()
                    .httpClientBuilder(http(timeout))
                    .baseUrl(baseUrl)
                    .modelName(model)
                    .numPredict(MAX_OUTPUT_TOKENS)
                    .customHeaders(apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey))
                    .logRequests(false)
                    .logResponses(false)
                    .maxRetries(0)
                    .build();
            case ANTHROPIC -> {
                if (apiKey == null) {
                    throw new IllegalStateException("no API key for anthropic: set " + LlmSettings.ENV_API_KEY
                            + " or a key file, or ANTHROPIC_API_KEY");
                }
                yield AnthropicChatModel.builder()
                        .httpClientBuilder(http(timeout))
                        .baseUrl(baseUrl)
                        .apiKey(apiKey)
                        .modelName(model)
                        .maxTokens(MAX_OUTPUT_TOKENS)
                        .maxRetries(0)
                        .logRequests(false)
                        .logResponses(false)
                        .build();
            }
        };
    }

    private static JdkHttpClientBuilder http(Duration timeout) {
        return JdkHttpClient.builder()
                .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                .connectTimeout(timeout)
                .readTimeout(timeout);
    }
}
