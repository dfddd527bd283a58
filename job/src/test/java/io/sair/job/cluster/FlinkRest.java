package io.sair.job.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** The parts of Flink's REST API the cluster test uses, on the JDK HttpClient and Jackson. */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    FlinkRest(String base) {
        this.base = base;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** {@code POST /jars/upload} as multipart/form-data (field "jarfile"); returns the jar's id on the cluster. */
    String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "sair-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode r = send(HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = r.path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** {@code POST /jars/{id}/run}: Flink 2.x reads {@code programArgsList} (plain programArgs is ignored). */
    String runJar(String jarId, List<String> args, String savepoint) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        args.forEach(body.putArray("programArgsList")::add);
        if (savepoint != null) {
            body.put("savepointPath", savepoint);
        }
        return post("/jars/" + jarId + "/run", body).path("jobid").asText();
    }

    String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** RUNNING with every subtask RUNNING (the job state alone says RUNNING while tasks still deploy). */
    boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            JsonNode tasks = v.path("tasks");
            if (tasks.path("RUNNING").asInt() != v.path("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }

    /** The resource id of the TaskManager running the first subtask of the job's first vertex. */
    String taskManagerOf(String jobId) throws IOException, InterruptedException {
        String vertex = get("/jobs/" + jobId).path("vertices").path(0).path("id").asText();
        return get("/jobs/" + jobId + "/vertices/" + vertex + "/taskmanagers").path("taskmanagers").path(0)
                .path("taskmanager-id").asText();
    }

    /** {@code POST /jobs/{id}/stop} and the savepoint's path once the asynchronous operation completed. */
    String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("targetDirectory", targetDirectory).put("drain", false);
        String request = post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
        JsonNode done = await(() -> get("/jobs/" + jobId + "/savepoints/" + request),
                r -> "COMPLETED".equals(r.path("status").path("id").asText()), timeout);
        JsonNode op = done.path("operation");
        if (op.has("failure-cause")) {
            throw new IllegalStateException("stop-with-savepoint failed: " + op.path("failure-cause"));
        }
        return op.path("location").asText();
    }

    /** The trigger time of the latest completed checkpoint, or -1 before the first. */
    long latestCheckpointTrigger(String jobId) throws IOException, InterruptedException {
        JsonNode latest = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        return latest.isMissingNode() || latest.isNull() ? -1 : latest.path("trigger_timestamp").asLong();
    }

    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    /** Polls {@code call} every 100 ms until {@code done} holds; failing after {@code timeout}. */
    static <T> T await(Call<T> call, Predicate<T> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        T value = null;
        while (System.nanoTime() < deadline) {
            try {
                value = call.call();
                if (done.test(value)) {
                    return value;
                }
            } catch (IOException e) {
                last = e; // the REST endpoint is not up yet, or went away for a moment
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not reached within " + timeout + "; last value " + value, last);
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 503) {
            // "ongoing leader election": the JobManager is up but not yet (or no longer) the leader.
            throw new IOException(r.request().uri() + " -> 503: " + r.body());
        }
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " -> " + r.statusCode()
                    + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
