package io.sair.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * job/Dockerfile against what `mvn verify` built (there is no Docker engine here): every path it copies
 * exists, its tag is the image both manifests name, and the image's /opt/flink/usrlib, rebuilt from the
 * COPY lines, holds the jar the FlinkDeployment's jarURI and the sync Deployment's classpath name, with their
 * entry classes in it.
 */
class DockerfileIT {

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path ROOT = MODULE.getParent();

    record Copy(String source, String dest) {
    }

    @Test
    void everyCopiedPathExistsAndTheTagIsTheManifestsImage() throws IOException {
        String dockerfile = Files.readString(MODULE.resolve("Dockerfile"));
        List<Copy> copies = copies(dockerfile);
        assertThat(copies).isNotEmpty();
        for (Copy c : copies) {
            assertThat(ROOT.resolve(c.source())).as("COPY source %s after mvn verify", c.source()).exists();
        }
        String tag = tag(dockerfile);
        assertThat(tag).isEqualTo("ghcr.io/sair/flink-job:0.1.0");
        for (String manifest : List.of("k8s/flink-deployment.yaml", "k8s/pipelineautoscaler-sync.yaml")) {
            assertThat(Files.readString(ROOT.resolve(manifest))).as(manifest).contains("image: " + tag);
        }
    }

    @Test
    void theImageHoldsTheJarTheManifestsRunWithTheirEntryClasses(@TempDir Path image) throws IOException {
        for (Copy c : copies(Files.readString(MODULE.resolve("Dockerfile")))) {
            Path to = image.resolve(c.dest().substring(1));
            Files.createDirectories(to.getParent());
            Files.copy(ROOT.resolve(c.source()), to);
        }
        String deployment = Files.readString(ROOT.resolve("k8s/flink-deployment.yaml"));
        String jarUri = group(deployment, "jarURI: local://(\\S+)");
        assertThat(classIn(image, jarUri, group(deployment, "entryClass: (\\S+)"))).isTrue();
        String sync = Files.readString(ROOT.resolve("k8s/pipelineautoscaler-sync.yaml"));
        String cp = group(sync, "\"-cp\", \"([^\"]+)\"");
        String main = group(sync, "\"-cp\", \"[^\"]+\", \"([^\"]+)\"");
        // The sync runs on the image's classpath: Flink's lib (the base image's) and the job jar from usrlib.
        List<String> fromImage = Stream.of(cp.split(":")).filter(e -> e.startsWith("/opt/flink/usrlib/")).toList();
        assertThat(fromImage).containsExactly(jarUri);
        assertThat(classIn(image, jarUri, main)).isTrue();
    }

    private static boolean classIn(Path image, String jarPath, String className) throws IOException {
        Path jar = image.resolve(jarPath.substring(1));
        assertThat(jar).as("%s in the image", jarPath).isRegularFile();
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getEntry(className.replace('.', '/') + ".class") != null;
        }
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    /** COPY instructions of a single source each (flags dropped; none may copy from another stage). */
    static List<Copy> copies(String dockerfile) {
        List<Copy> out = new ArrayList<>();
        for (String line : dockerfile.replace("\\\n", " ").split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (!(t[0].equalsIgnoreCase("COPY") || t[0].equalsIgnoreCase("ADD"))) {
                continue;
            }
            assertThat(line).doesNotContain("--from").doesNotContain("[").doesNotContain("*");
            List<String> args = Stream.of(t).skip(1).filter(a -> !a.startsWith("--")).toList();
            assertThat(args).as(line).hasSize(2);
            out.add(new Copy(args.get(0), args.get(1)));
        }
        return out;
    }

    static String tag(String dockerfile) {
        return group(dockerfile, "docker build .* -t (\\S+) ");
    }
}
