package io.sair.gpuagent;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shims on this node: finds {@code <pidns>-<pid>.sock} in the socket directory, keeps the last STATS
 * of each (by that id: the shims sit in many containers, each with its own pid 1), drops those that stop
 * answering, and removes a socket file nobody listens on any more.
 */
public final class ShimRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ShimRegistry.class);
    private static final Pattern SOCKET = Pattern.compile("\\d+-\\d+\\.sock");

    private final Path dir;
    private final Duration timeout;
    private final Map<String, ShimClient> clients = new LinkedHashMap<>();
    private final Map<String, ShimStats> last = new LinkedHashMap<>();

    public ShimRegistry(Path dir, Duration timeout) {
        this.dir = dir;
        this.timeout = timeout;
    }

    /** Rescans the directory and asks every shim for STATS; returns the fresh snapshot. */
    public synchronized List<ShimStats> refresh() {
        Map<String, Path> found = scan();
        clients.keySet().removeIf(id -> !found.containsKey(id));
        last.keySet().removeIf(id -> !found.containsKey(id));
        for (Map.Entry<String, Path> e : found.entrySet()) {
            ShimClient client = clients.computeIfAbsent(e.getKey(), id -> new ShimClient(e.getValue(), timeout));
            try {
                ShimStats stats = client.stats();
                if (!last.containsKey(e.getKey())) {
                    LOG.info("shim registered: {} (pid {}) workload {}", stats.id(), stats.pid(), stats.workload());
                }
                last.put(e.getKey(), stats);
            } catch (IOException ex) {
                drop(e.getKey(), e.getValue(), ex);
            }
        }
        return snapshot();
    }

    /** The last STATS of every live shim, by id. */
    public synchronized List<ShimStats> snapshot() {
        List<ShimStats> out = new ArrayList<>(last.values());
        out.sort(Comparator.comparing(ShimStats::id));
        return out;
    }

    /**
     * Sets the rate of every process of a workload and returns their pids; empty when the workload is
     * unknown (after one rescan). A process that fails is dropped and left out of the result.
     */
    public synchronized List<Long> setRate(String workload, double rate) {
        List<String> ids = idsOf(workload);
        if (ids.isEmpty()) {
            refresh();
            ids = idsOf(workload);
        }
        List<Long> applied = new ArrayList<>();
        for (String id : ids) {
            ShimClient client = clients.get(id);
            try {
                ShimStats s = last.get(id).withRate(client.setRate(rate));
                last.put(id, s);
                applied.add(s.pid());
            } catch (IOException ex) {
                drop(id, client.socket(), ex);
            }
        }
        return applied;
    }

    private List<String> idsOf(String workload) {
        List<String> ids = new ArrayList<>();
        for (ShimStats s : last.values()) {
            if (s.workload().equals(workload)) {
                ids.add(s.id());
            }
        }
        ids.sort(null);
        return ids;
    }

    private Map<String, Path> scan() {
        Map<String, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (SOCKET.matcher(name).matches()) {
                    found.put(name.substring(0, name.length() - ".sock".length()), p);
                }
            }
        } catch (NoSuchFileException e) {
            LOG.debug("socket directory {} does not exist yet", dir);
        } catch (IOException e) {
            LOG.warn("cannot scan socket directory {}: {}", dir, e.toString());
        }
        return found;
    }

    /**
     * Forgets a shim that failed. Its socket file is removed only when the connection was refused: then
     * nothing listens there (the process is gone, as a killed one leaves its file). The pid cannot tell:
     * it belongs to the shim's container, not to this agent's.
     */
    private void drop(String id, Path socket, IOException cause) {
        clients.remove(id);
        ShimStats gone = last.remove(id);
        boolean stale = cause instanceof ConnectException;
        if (stale) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.debug("cannot remove stale socket {}: {}", socket, e.toString());
            }
        }
        if (gone != null || !stale) {
            LOG.info("shim dropped: {} ({}): {}", id, stale ? "nothing listens" : "not answering", cause.toString());
        }
    }
}
