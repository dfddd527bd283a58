package io.sair.gpuagent;

import java.util.Optional;

/** A workload id of the form {@code pipeline/stage/pod}; other ids are controlled but not published. */
public record WorkloadId(String pipeline, String stage, String pod) {

    public static Optional<WorkloadId> parse(String workload) {
        String[] parts = workload.split("/", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        for (String p : parts) {
            if (p.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(new WorkloadId(parts[0], parts[1], parts[2]));
    }
}
