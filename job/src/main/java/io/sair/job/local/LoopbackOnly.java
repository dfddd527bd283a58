package io.sair.job.local;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;

/**
 * Flink settings that keep a local MiniCluster's listeners on 127.0.0.1. Unset, Flink binds its REST
 * endpoint and blob server to every interface, so a demo on a laptop would serve them to the whole
 * network: the REST API has no authentication.
 */
public final class LoopbackOnly {

    static final String HOST = "127.0.0.1";

    private LoopbackOnly() {
    }

    /** Sets the bind and advertised addresses of the REST endpoint, the blob server, RPC and task managers. */
    public static Configuration apply(Configuration c) {
        c.set(RestOptions.ADDRESS, HOST);
        c.set(RestOptions.BIND_ADDRESS, HOST);
        // The blob server binds to the job manager's bind host.
        c.set(JobManagerOptions.ADDRESS, HOST);
        c.set(JobManagerOptions.BIND_HOST, HOST);
        c.set(TaskManagerOptions.HOST, HOST);
        c.set(TaskManagerOptions.BIND_HOST, HOST);
        // Nothing local submits jars over REST: no upload-and-run endpoint, even on loopback.
        c.set(WebOptions.SUBMIT_ENABLE, false);
        return c;
    }
}
