package io.sair.job.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens a page in real headless Chromium (Debian's {@code chromium}) and reports how many of its
 * images the browser decoded. Without Chromium the calling test is skipped, except under CI
 * ({@code CI=true}), where it fails: .ci/run installs it.
 */
public final class HeadlessChromium {

    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome", "/usr/lib/chromium/chromium");
    /** Counts images once the page has loaded and leaves the answer in the DOM that --dump-dom prints. */
    private static final String PROBE = "<script>window.addEventListener('load',()=>{const a=[...document.images];"
            + "document.body.setAttribute('data-images',a.length+' '+a.filter(i=>i.complete&&i.naturalWidth>0).length);"
            + "});</script>";
    private static final Pattern ANSWER = Pattern.compile("data-images=\"(\\d+) (\\d+)\"");

    private HeadlessChromium() {
    }

    /** What the browser saw: images on the page, images decoded, and the page's text content after load. */
    public record Rendered(int images, int decoded, String dom) {
    }

    public static Path binary() {
        String env = System.getenv("CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Path.of(env);
        }
        for (String c : CANDIDATES) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        assertThat(ci).as("CI=true but no chromium found (.ci/run installs Debian's chromium)").isFalse();
        Assumptions.abort("chromium not installed: report rendering not checked (apt-get install chromium)");
        return null;
    }

    /** Loads {@code page} (a copy with the probe script added, in {@code work}) and returns what rendered. */
    public static Rendered render(Path page, Path work) throws IOException, InterruptedException {
        Path chromium = binary();
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html).contains("</body>");
        Path probed = work.resolve("probed-" + page.getFileName());
        Files.writeString(probed, html.replace("</body>", PROBE + "</body>"), StandardCharsets.UTF_8);
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", probed.toUri().toString())
                .redirectError(work.resolve("chromium.err").toFile())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s");
        }
        String dom = new String(out, StandardCharsets.UTF_8);
        Matcher m = ANSWER.matcher(dom);
        assertThat(m.find()).as("chromium loaded the page and ran its load handler (exit %d, stderr in %s)", p.exitValue(),
                work.resolve("chromium.err")).isTrue();
        return new Rendered(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), dom);
    }
}
