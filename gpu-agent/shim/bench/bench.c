/* Benchmark of the shim on the fake driver (figures, not a test). usage: bench BUILD_DIR
 *  1. unthrottled per-launch cost with and without the shim (fake driver, zero per-block time);
 *  2. rate-change latency over the control socket (request sent -> OK received; the shim answers
 *     after the new rate and grant are in force and waiting launches are woken), p50/p99;
 *  3. achieved block throughput relative to rho = 1 for rho in {1, 0.8, 0.5, 0.2, 0.1}, for a
 *     few steady kernel streams. */
#define _GNU_SOURCE
#include <math.h>
#include <signal.h>
#include <sys/wait.h>

#include "../test/ctl_client.h"

static char g_build[512];
static char g_dir[128];
static pid_t g_child;

static pid_t spawn_stream(const char *const *args, const char *const *env, int preload, int out_fd)
{
    char path[600], preload_env[600], dir_env[200];
    char *argv[12], *envp[16];
    int n = 0, e = 0;
    posix_spawn_file_actions_t fa;
    pid_t pid;

    snprintf(path, sizeof(path), "%s/stream", g_build);
    argv[n++] = path;
    for (int i = 0; args[i]; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    snprintf(preload_env, sizeof(preload_env), "LD_PRELOAD=%s/libsair-shim.so", g_build);
    snprintf(dir_env, sizeof(dir_env), "SAIR_SOCKET_DIR=%s", g_dir);
    if (preload)
        envp[e++] = preload_env;
    envp[e++] = dir_env;
    for (int i = 0; env[i]; i++)
        envp[e++] = (char *)env[i];
    envp[e] = NULL;
    posix_spawn_file_actions_init(&fa);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    if (posix_spawn(&pid, path, &fa, NULL, argv, envp) != 0)
        pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    int i = (int)ceil(p / 100.0 * n) - 1;
    return v[i < 0 ? 0 : i];
}

/* ns per launch reported by one stream run. */
static double run_overhead(int preload)
{
    int fds[2];
    char buf[256] = { 0 };
    const char *args[] = { "direct", "1", "0", "0", "5000000", NULL };
    const char *env[] = { "SAIR_FAKE_BLOCK_NS=0", NULL };

    if (pipe(fds) != 0)
        return -1;
    pid_t pid = spawn_stream(args, env, preload, fds[1]);
    close(fds[1]);
    ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
    close(fds[0]);
    waitpid(pid, NULL, 0);
    const char *p = n > 0 ? strstr(buf, "ns_per_launch=") : NULL;
    return p ? strtod(p + 14, NULL) : -1;
}

static void bench_overhead(void)
{
    double with[7], without[7];
    for (int i = 0; i < 7; i++) {
        without[i] = run_overhead(0);
        with[i] = run_overhead(1);
    }
    double a = pct(without, 7, 50), b = pct(with, 7, 50);
    printf("1. unthrottled launch cost (rho=1, fake driver, 0 ns/block, 5M launches, median of 7 runs)\n");
    printf("   without shim %.1f ns/launch, with shim %.1f ns/launch, overhead %.1f ns/launch\n\n", a, b, b - a);
}

static pid_t start_stream(const char *blocks, const char *sync_every, const char *block_ns, char *sock, size_t cap)
{
    const char *args[] = { "direct", blocks, "0", sync_every, NULL };
    char bn[64];
    snprintf(bn, sizeof(bn), "SAIR_FAKE_BLOCK_NS=%s", block_ns);
    const char *env[] = { bn, "SAIR_FAKE_SMS=10", NULL };
    pid_t pid = spawn_stream(args, env, 1, -1);
    ctl_sock_path(sock, cap, g_dir, pid);
    if (ctl_wait_for(sock, 5000) < 0)
        return -1;
    return pid;
}

static void bench_latency(void)
{
    enum { N = 2000 };
    static double persistent[N], fresh[N];
    char sock[300], reply[128];
    pid_t pid = start_stream("100", "1", "20000", sock, sizeof(sock));
    g_child = pid;
    ctl_sleep_ms(300);
    int fd = ctl_connect(sock);
    for (int i = 0; i < N; i++) {
        uint64_t t0 = ctl_now_ns();
        ctl_exchange(fd, i % 2 ? "SAIR/1 RATE 0.5\n" : "SAIR/1 RATE 0.6\n", reply, sizeof(reply));
        persistent[i] = (double)(ctl_now_ns() - t0) / 1e3;
    }
    close(fd);
    for (int i = 0; i < N; i++) {
        uint64_t t0 = ctl_now_ns();
        ctl_request(sock, i % 2 ? "SAIR/1 RATE 0.5\n" : "SAIR/1 RATE 0.6\n", reply, sizeof(reply));
        fresh[i] = (double)(ctl_now_ns() - t0) / 1e3;
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    g_child = 0;
    printf("2. rate change over the socket, command sent -> OK back (new rate in force), %d changes,\n", N);
    printf("   target process launching and throttled meanwhile\n");
    printf("   open connection:        p50 %.1f us, p99 %.1f us\n", pct(persistent, N, 50), pct(persistent, N, 99));
    printf("   connect + request:      p50 %.1f us, p99 %.1f us\n\n", pct(fresh, N, 50), pct(fresh, N, 99));
}

static double blocks_per_sec(const char *sock, unsigned ms)
{
    struct ctl_stats a, b;
    ctl_stats(sock, &a);
    uint64_t t0 = ctl_now_ns();
    ctl_sleep_ms(ms);
    ctl_stats(sock, &b);
    return (double)(b.blocks - a.blocks) / ((double)(ctl_now_ns() - t0) / 1e9);
}

static void bench_rates(const char *label, const char *blocks, const char *sync_every, const char *block_ns)
{
    static const double rhos[] = { 1.0, 0.8, 0.5, 0.2, 0.1 };
    char sock[300], line[64], reply[128];
    pid_t pid = start_stream(blocks, sync_every, block_ns, sock, sizeof(sock));
    g_child = pid;
    ctl_sleep_ms(600);
    double base = 0;
    printf("   %-44s", label);
    for (size_t i = 0; i < sizeof(rhos) / sizeof(rhos[0]); i++) {
        snprintf(line, sizeof(line), "SAIR/1 RATE %g\n", rhos[i]);
        ctl_request(sock, line, reply, sizeof(reply));
        ctl_sleep_ms(500);
        double r = blocks_per_sec(sock, 3000);
        if (i == 0)
            base = r;
        printf(" %5.3f", r / base);
        fflush(stdout);
    }
    printf("   (rho=1: %.0f blocks/s)\n", base);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    g_child = 0;
}

static void cleanup(void)
{
    if (g_child > 0) {
        kill(g_child, SIGKILL);
        waitpid(g_child, NULL, 0);
    }
    char cmd[200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", g_dir);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s BUILD_DIR\n", argv[0]);
        return 2;
    }
    snprintf(g_build, sizeof(g_build), "%s", argv[1]);
    snprintf(g_dir, sizeof(g_dir), "/tmp/sair-bench-XXXXXX");
    if (!mkdtemp(g_dir))
        return 2;
    atexit(cleanup);
    bench_overhead();
    bench_latency();
    printf("3. achieved block throughput / throughput at rho=1 (3 s per point, after 0.5 s settling)\n");
    printf("   %-44s %5s %5s %5s %5s %5s\n", "stream (fake device: 10 SMs)", "1.0", "0.8", "0.5", "0.2", "0.1");
    bench_rates("100 blocks x 20us, sync each (0.2 ms/launch)", "100", "1", "20000");
    bench_rates("5000 blocks x 20us, sync each (10 ms/launch)", "5000", "1", "20000");
    bench_rates("100 blocks x 20us, sync every 16 launches", "100", "16", "20000");
    bench_rates("10 blocks x 5us, sync each (5 us/launch)", "10", "1", "5000");
    return 0;
}
