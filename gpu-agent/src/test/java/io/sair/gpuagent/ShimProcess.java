package io.sair.gpuagent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A steady kernel stream (shim/build/stream) on the fake driver under LD_PRELOAD; always killed on close. */
final class ShimProcess implements AutoCloseable {
    final Process process;

    private ShimProcess(Process process) {
        this.process = process;
    }

    static Path shimBuild() {
        Path build = Path.of(System.getProperty("sair.shim.build", "shim/build")).toAbsolutePath();
        if (!Files.isRegularFile(build.resolve("libsair-shim.so"))) {
            throw new IllegalStateException("shim not built at " + build + " (run make -C shim all)");
        }
        return build;
    }

    /** 100 blocks per launch, 20 us per block on 10 SMs: 200 us of device time per launch. */
    static ShimProcess start(Path socketDir, String workload, Map<String, String> extraEnv) throws IOException {
        Path build = shimBuild();
        ProcessBuilder pb = new ProcessBuilder(List.of(build.resolve("stream").toString(), "direct", "100", "0"));
        Map<String, String> env = pb.environment();
        env.put("LD_PRELOAD", build.resolve("libsair-shim.so").toString());
        env.put("SAIR_SOCKET_DIR", socketDir.toString());
        env.put("SAIR_WORKLOAD", workload);
        env.put("SAIR_FAKE_BLOCK_NS", "20000");
        env.put("SAIR_FAKE_SMS", "10");
        env.putAll(extraEnv);
        pb.redirectErrorStream(true).redirectOutput(new File("/dev/null"));
        return new ShimProcess(pb.start());
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
