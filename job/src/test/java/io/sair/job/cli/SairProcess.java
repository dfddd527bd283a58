package io.sair.job.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of {@code ./sair} in a JVM of its own, as the launcher starts it: its environment, exit status and output. */
public record SairProcess(int rc, String out, String err) {

    /**
     * Runs the CLI with the test classpath; {@code env} is added to this JVM's environment less its
     * SAIR_LLM_* variables, {@code jvmOptions} go before the main class.
     */
    public static SairProcess run(Path dir, Map<String, String> env, List<String> jvmOptions, long timeoutSeconds,
                                  String... args) throws IOException, InterruptedException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(SairCli.class.getName());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SAIR_LLM_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("sair " + String.join(" ", args) + " still running after " + timeoutSeconds
                        + " s; its stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
        } finally {
            p.destroyForcibly();
        }
        return new SairProcess(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
