package io.sair.connectors.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.connectors.llm.LoopbackLlmServer.Behaviour;
import io.sair.core.ControllerState;
import io.sair.core.SairController;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fallback reason a decision records names what went wrong with the provider, over real sockets on
 * loopback: nothing listening, a host name that does not resolve, a server that never answers, an HTTP
 * error status, and TLS spoken to a server that only speaks plain HTTP. None of them is "unreadable".
 */
class LlmFailureReasonsITCase {

    static final Duration DEADLINE = Duration.ofMillis(1500);
    static final String KEY = "sk-test-secret-0123456789";

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free again once closed: nothing listens there
        }
        assertThat(reason("http://127.0.0.1:" + port + "/v1")).isEqualTo("connection refused by the provider's address");
    }

    @Test
    void aHostNameThatDoesNotResolveIsNamed() throws Exception {
        // .invalid is reserved (RFC 2606): it never resolves.
        assertThat(reason("http://sair-llm-test.invalid/v1")).isEqualTo("the provider's host name does not resolve (DNS)");
    }

    @Test
    void aServerThatNeverAnswersIsATimeout() throws Exception {
        try (LoopbackLlmServer server = new LoopbackLlmServer(LlmProvider.OPENAI)) {
            server.behave(Behaviour.HANG, LlmFixtures.GOOD_ANSWER);
            assertThat(reason(server.baseUrl())).startsWith("timed out");
        }
    }

    @Test
    void anHttpErrorNamesItsStatus() throws Exception {
        try (LoopbackLlmServer server = new LoopbackLlmServer(LlmProvider.OPENAI)) {
            server.behave(Behaviour.SERVER_ERROR, LlmFixtures.GOOD_ANSWER);
            assertThat(reason(server.baseUrl())).isEqualTo("provider server error (HTTP 500)");
        }
    }

    @Test
    void tlsToAPlainHttpServerIsATlsFailure() throws Exception {
        try (LoopbackLlmServer server = new LoopbackLlmServer(LlmProvider.OPENAI)) {
            server.behave(Behaviour.GOOD, LlmFixtures.GOOD_ANSWER);
            assertThat(reason(server.baseUrl().replace("http://", "https://")))
                    .isEqualTo("TLS handshake with the provider failed");
        }
    }

    /** The fallback reason of one decision made with the OpenAI-compatible client pointed at {@code baseUrl}. */
    static String reason(String baseUrl) throws IOException {
        PipelineSpec spec = LlmFixtures.spec();
        LlmSettings settings = new LlmSettings(LlmProvider.OPENAI, baseUrl, "test-model", DEADLINE, 4, 0, null);
        try (LangchainLlmClient client = new LangchainLlmClient(settings, Map.of(LlmSettings.ENV_API_KEY, KEY))) {
            ScalingDecision d = SairController.defaults()
                    .stepBlocking(ControllerState.initial(0.0), LlmFixtures.context(spec), spec, client, "openai")
                    .orElseThrow().decision();
            assertThat(d.selector()).isEqualTo(Selector.FALLBACK);
            assertThat(d.toString()).doesNotContain(KEY);
            return d.fallbackReason();
        }
    }
}
