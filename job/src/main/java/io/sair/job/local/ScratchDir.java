package io.sair.job.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.FileUtils;

/**
 * A temporary directory of one local run for everything its MiniCluster writes (its working directory, the
 * extracted RPC jar, the REST endpoint's upload directory, RocksDB's files), deleted as a whole on close.
 * Flink's defaults put these straight into the system's temp directory and, since the cluster shuts down
 * asynchronously after its job, a CLI that exits at once leaves them there.
 */
public final class ScratchDir implements AutoCloseable {

    /** How long close() waits for the cluster to finish shutting down before deleting under it. */
    private static final long CLUSTER_GONE_NANOS = 10_000_000_000L;

    private final Path dir;

    private ScratchDir(Path dir) {
        this.dir = dir;
    }

    /** A new directory {@code sair-<name>-<random>} in the system's temp directory: short, as RocksDB prefers. */
    public static ScratchDir create(String name) throws IOException {
        return new ScratchDir(Files.createTempDirectory("sair-" + name + "-"));
    }

    public Path path() {
        return dir;
    }

    /** Points Flink's temp directories and RocksDB's working directory here. */
    public Configuration apply(Configuration c) {
        c.setString("io.tmp.dirs", dir.toString());
        c.setString("web.tmpdir", dir.toString());
        c.setString("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());
        return c;
    }

    /** Waits (boundedly) until the MiniCluster has removed its working directory, then deletes the rest. */
    @Override
    public void close() {
        long until = System.nanoTime() + CLUSTER_GONE_NANOS;
        try {
            while (clusterStillHere() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FileUtils.deleteDirectoryQuietly(dir.toFile());
    }

    private boolean clusterStillHere() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith("minicluster_"));
        } catch (IOException e) {
            return false;
        }
    }
}
