package io.sair.gpuagent;

import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shims on this node: finds {@code <pid>.sock} in the socket directory, keeps the last STATS of
 * each, drops those that stop answering (and removes the socket file of a process that is gone).
 */
public final class ShimRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ShimRegistry.class);
    private static final Pattern SOCKET = Pattern.compile("(\\d+)\\.sock");

    private final Path dir;
    private final Duration timeout;
    private final Map<Long, ShimClient> clients = new LinkedHashMap<>();
    private final Map<Long, ShimStats> last = new LinkedHashMap<>();

    public ShimRegistry(Path dir, Duration timeout) {
        this.dir = dir;
        this.timeout = timeout;
    }

    /** Rescans the directory and asks every shim for STATS; returns the fresh snapshot. */
    public synchronized List<ShimStats> refresh() {
        Map<Long, Path> found = scan();
        clients.keySet().removeIf(pid -> !found.containsKey(pid));
        last.keySet().removeIf(pid -> !found.containsKey(pid));
        for (Map.Entry<Long, Path> e : found.entrySet()) {
            ShimClient client = clients.computeIfAbsent(e.getKey(), pid -> new ShimClient(e.getValue(), timeout));
            try {
                ShimStats stats = client.stats();
                if (!last.containsKey(e.getKey())) {
                    LOG.info("shim registered: pid {} workload {}", stats.pid(), stats.workload());
                }
                last.put(e.getKey(), stats);
            } catch (IOException ex) {
                drop(e.getKey(), e.getValue(), ex);
            }
        }
        return snapshot();
    }

    /** The last STATS of every live shim, by pid. */
    public synchronized List<ShimStats> snapshot() {
        List<ShimStats> out = new ArrayList<>(last.values());
        out.sort(Comparator.comparingLong(ShimStats::pid));
        return out;
    }

    /**
     * Sets the rate of every process of a workload and returns their pids; empty when the workload is
     * unknown (after one rescan). A process that fails is dropped and left out of the result.
     */
    public synchronized List<Long> setRate(String workload, double rate) {
        List<Long> pids = pidsOf(workload);
        if (pids.isEmpty()) {
            refresh();
            pids = pidsOf(workload);
        }
        List<Long> applied = new ArrayList<>();
        for (long pid : pids) {
            ShimClient client = clients.get(pid);
            try {
                double confirmed = client.setRate(rate);
                ShimStats s = last.get(pid);
                last.put(pid, new ShimStats(s.pid(), s.workload(), confirmed, s.launches(), s.blocks(), s.throttledNs()));
                applied.add(pid);
            } catch (IOException ex) {
                drop(pid, client.socket(), ex);
            }
        }
        return applied;
    }

    private List<Long> pidsOf(String workload) {
        List<Long> pids = new ArrayList<>();
        for (ShimStats s : last.values()) {
            if (s.workload().equals(workload)) {
                pids.add(s.pid());
            }
        }
        pids.sort(null);
        return pids;
    }

    private Map<Long, Path> scan() {
        Map<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Matcher m = SOCKET.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.put(Long.parseLong(m.group(1)), p);
                }
            }
        } catch (NoSuchFileException e) {
            LOG.debug("socket directory {} does not exist yet", dir);
        } catch (IOException e) {
            LOG.warn("cannot scan socket directory {}: {}", dir, e.toString());
        }
        return found;
    }

    private void drop(long pid, Path socket, IOException cause) {
        clients.remove(pid);
        ShimStats gone = last.remove(pid);
        boolean dead = ProcessHandle.of(pid).isEmpty();
        if (dead) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.debug("cannot remove stale socket {}: {}", socket, e.toString());
            }
        }
        if (gone != null || !dead) {
            LOG.info("shim dropped: pid {} ({}): {}", pid, dead ? "process gone" : "not answering", cause.toString());
        }
    }
}
