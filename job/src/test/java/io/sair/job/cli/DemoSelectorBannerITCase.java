package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.Json;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's first line says who decides, and it is what the job then does: with SAIR_LLM_* pointing at a
 * provider the job asks it (here nothing listens there, so its decisions fall back, saying why).
 */
class DemoSelectorBannerITCase {

    static final String KEY = "sk-test-secret-0123456789";

    @Test
    void withAProviderSetTheBannerSaysTheLlmDecidesAndTheJobAsksIt(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // nothing listens there once closed
        }
        Path out = dir.resolve("demo");
        SairProcess r = SairProcess.run(dir, Map.of("SAIR_LLM_PROVIDER", "openai",
                "SAIR_LLM_BASE_URL", "http://127.0.0.1:" + port + "/v1", "SAIR_LLM_MODEL", "test-model",
                "SAIR_LLM_API_KEY", KEY, "SAIR_LLM_TIMEOUT_MS", "2000"), List.of(), 240,
                "demo", "--rounds", "3", "--out", out.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        String banner = r.out().lines().findFirst().orElseThrow();
        assertThat(banner).endsWith("selector: LLM (openai, model test-model at http://127.0.0.1:" + port
                + ", deadline 2000 ms) on rounds that are not probes; the built-in selector when a call fails");
        assertThat(r.out() + r.err()).doesNotContain(KEY);

        List<ScalingDecision> decisions = Files.readAllLines(out.resolve("decisions.jsonl")).stream()
                .map(l -> Json.read(l.getBytes(), ScalingDecision.class)).toList();
        assertThat(decisions).as("the job asked the provider and fell back, saying why")
                .anySatisfy(d -> {
                    assertThat(d.selector()).isEqualTo(Selector.FALLBACK);
                    assertThat(d.fallbackReason()).isEqualTo("connection refused by the provider's address");
                });
    }

    @Test
    void withoutAProviderTheBuiltInSelectorDecidesAndTheBannerSaysWhy() {
        assertThat(DemoCommand.selectorNote(Map.of())).isEqualTo("built-in (no SAIR_LLM_* set)");
        assertThat(DemoCommand.selectorNote(Map.of("SAIR_LLM_MODEL", "m")))
                .isEqualTo("built-in (SAIR_LLM_* is set, but not SAIR_LLM_PROVIDER)");
        assertThat(DemoCommand.selectorNote(Map.of("SAIR_LLM_PROVIDER", "none"))).isEqualTo("built-in (SAIR_LLM_PROVIDER=none)");
    }
}
