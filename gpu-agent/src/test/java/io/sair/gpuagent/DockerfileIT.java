package io.sair.gpuagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpu-agent/Dockerfile against what `mvn verify` built (there is no Docker engine here): every path it
 * copies exists, its tag is the image the DaemonSet names, and the image's file layout, rebuilt from the
 * COPY lines, serves the DaemonSet's commands (the shim where the init container copies it from, and the
 * agent's java command starting from the copied classpath).
 */
class DockerfileIT {

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path ROOT = MODULE.getParent();

    record Copy(List<String> sources, String dest) {
    }

    @Test
    void everyCopiedPathExistsAndTheTagIsTheManifestsImage() throws IOException {
        String dockerfile = Files.readString(MODULE.resolve("Dockerfile"));
        List<Copy> copies = copies(dockerfile);
        assertThat(copies).isNotEmpty();
        for (Copy c : copies) {
            for (String src : c.sources()) {
                assertThat(matches(src)).as("COPY source %s after mvn verify", src).hasSize(1);
            }
        }
        String manifest = Files.readString(ROOT.resolve("k8s/gpu-agent-daemonset.yaml"));
        assertThat(tag(dockerfile)).isEqualTo("ghcr.io/sair/gpu-agent:0.1.0");
        assertThat(manifest).contains("image: " + tag(dockerfile));
    }

    @Test
    void theImagesLayoutServesTheDaemonSetsCommands(@TempDir Path image) throws Exception {
        for (Copy c : copies(Files.readString(MODULE.resolve("Dockerfile")))) {
            for (String src : c.sources()) {
                copyInto(matches(src).get(0), image, c.dest());
            }
        }
        String manifest = Files.readString(ROOT.resolve("k8s/gpu-agent-daemonset.yaml"));
        Matcher m = Pattern.compile("command: \\[(.*)]").matcher(manifest);
        int java = 0;
        while (m.find()) {
            List<String> cmd = new ArrayList<>();
            Matcher q = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
            while (q.find()) {
                cmd.add(q.group(1));
            }
            if (cmd.get(0).equals("cp")) {
                assertThat(image.resolve(cmd.get(1).substring(1))).as("the init container copies %s", cmd.get(1))
                        .isRegularFile();
            } else if (cmd.get(0).equals("java")) {
                java++;
                String cp = cmd.get(cmd.indexOf("-cp") + 1);
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                        image + cp, cmd.get(cmd.indexOf("-cp") + 2), "--help").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(out).isZero();
                assertThat(out).contains("sair-gpu-agent");
            }
        }
        assertThat(java).isEqualTo(1);
    }

    /** The COPY instructions (continuation lines joined, flags dropped; none may copy from another stage). */
    static List<Copy> copies(String dockerfile) {
        List<Copy> out = new ArrayList<>();
        for (String line : dockerfile.replace("\\\n", " ").split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (t.length == 0 || !(t[0].equalsIgnoreCase("COPY") || t[0].equalsIgnoreCase("ADD"))) {
                continue;
            }
            List<String> args = Stream.of(t).skip(1).filter(a -> !a.startsWith("--")).toList();
            assertThat(line).doesNotContain("--from").doesNotContain("[");
            out.add(new Copy(args.subList(0, args.size() - 1), args.get(args.size() - 1)));
        }
        return out;
    }

    static String tag(String dockerfile) {
        Matcher m = Pattern.compile("docker build .* -t (\\S+) ").matcher(dockerfile);
        assertThat(m.find()).as("a `docker build ... -t IMAGE .` line").isTrue();
        return m.group(1);
    }

    /** The build context's paths a COPY source names (a * matches within one directory). */
    static List<Path> matches(String src) throws IOException {
        Path p = ROOT.resolve(src);
        if (!src.contains("*")) {
            return Files.exists(p) ? List.of(p) : List.of();
        }
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + p.getFileName());
        try (Stream<Path> s = Files.list(p.getParent())) {
            return s.filter(x -> glob.matches(x.getFileName())).toList();
        }
    }

    /** What COPY does: a directory's contents into dest, a file into dest/ or as dest. */
    static void copyInto(Path src, Path image, String dest) throws IOException {
        Path target = image.resolve(dest.substring(1));
        if (Files.isDirectory(src)) {
            Files.createDirectories(target);
            try (Stream<Path> s = Files.list(src)) {
                for (Path f : s.toList()) {
                    Files.copy(f, target.resolve(f.getFileName().toString()));
                }
            }
        } else {
            Path to = dest.endsWith("/") ? target.resolve(src.getFileName().toString()) : target;
            Files.createDirectories(to.getParent());
            Files.copy(src, to);
        }
    }
}
