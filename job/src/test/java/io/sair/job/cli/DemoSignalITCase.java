package io.sair.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a running demo (Ctrl-C, or SIGTERM as here: the JVM runs the same shutdown hook for both,
 * and a JVM started with SIGINT ignored, as under a non-interactive shell, would not see SIGINT at
 * all): the demo's own JVM stops broker, job and plant and exits promptly, leaves no process behind,
 * and keeps the rounds it wrote.
 */
class DemoSignalITCase {

    @Test
    void aSignalStopsTheDemoAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", cp, SairCli.class.getName(), "demo", "--rounds", "1000",
                "--speedup", "30", "--out", out.toString())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("round  2/")) {
                        running.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.start();
        try {
            assertThat(running.await(120, TimeUnit.SECONDS)).as("the demo reached round 2").isTrue();
            List<ProcessHandle> children = p.descendants().toList();
            long stopAsked = System.nanoTime();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the demo exited after the signal").isTrue();
            double seconds = (System.nanoTime() - stopAsked) / 1e9;
            assertThat(p.exitValue()).as("exit status; the demo's stderr:%n%s", stderr(dir)).isEqualTo(143);
            assertThat(children).noneMatch(ProcessHandle::isAlive);
            String err = stderr(dir);
            assertThat(err).contains("sair demo: stopped; broker, job and simulator shut down")
                    .doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(Files.readAllLines(out.resolve("rounds.csv")).size()).isGreaterThanOrEqualTo(3);
            System.out.printf("demo stopped %.1f s after SIGTERM%n", seconds);
        } finally {
            p.destroyForcibly();
            reader.join(5_000);
        }
    }

    private static String stderr(Path dir) throws java.io.IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }
}
