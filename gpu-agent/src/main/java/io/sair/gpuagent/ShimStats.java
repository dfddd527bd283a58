package io.sair.gpuagent;

import java.util.HashMap;
import java.util.Map;

/**
 * One shim's counters as answered to {@code SAIR/1 STATS}. {@code id} names the process on this node
 * ({@code <pidns>-<pid>}, its socket's name): {@code pid} alone repeats across containers, each of which
 * counts its processes from 1.
 */
public record ShimStats(String id, long pid, String workload, double rate, long launches, long blocks, long throttledNs) {

    static final String OK = ShimClient.MAGIC + " OK ";

    /** Parses the STATS reply line of shim {@code id}; throws {@link ShimException} on ERR or a malformed line. */
    public static ShimStats parse(String id, String line) throws ShimException {
        Map<String, String> kv = okFields(line);
        try {
            return new ShimStats(id,
                    Long.parseLong(require(kv, "pid", line)),
                    require(kv, "workload", line),
                    Double.parseDouble(require(kv, "rate", line)),
                    Long.parseUnsignedLong(require(kv, "launches", line)),
                    Long.parseUnsignedLong(require(kv, "blocks", line)),
                    Long.parseUnsignedLong(require(kv, "throttled_ns", line)));
        } catch (NumberFormatException e) {
            throw new ShimException("malformed STATS reply: " + line);
        }
    }

    /** The same counters at another rate (what a confirmed RATE changes). */
    public ShimStats withRate(double newRate) {
        return new ShimStats(id, pid, workload, newRate, launches, blocks, throttledNs);
    }

    /** The key=value fields of an OK reply. */
    static Map<String, String> okFields(String line) throws ShimException {
        if (line.startsWith(ShimClient.MAGIC + " ERR ")) {
            throw new ShimException(line.substring(ShimClient.MAGIC.length() + 5));
        }
        if (!line.startsWith(OK)) {
            throw new ShimException("unexpected reply: " + line);
        }
        Map<String, String> kv = new HashMap<>();
        for (String token : line.substring(OK.length()).trim().split(" +")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                kv.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return kv;
    }

    private static String require(Map<String, String> kv, String key, String line) throws ShimException {
        String v = kv.get(key);
        if (v == null) {
            throw new ShimException("STATS reply without " + key + ": " + line);
        }
        return v;
    }
}
