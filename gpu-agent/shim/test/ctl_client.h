/* A minimal client for the shim's control socket, shared by the integration test, sairctl and
 * the benchmark. */
#ifndef SAIR_CTL_CLIENT_H
#define SAIR_CTL_CLIENT_H

#include <errno.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static inline uint64_t ctl_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline void ctl_sleep_ms(unsigned ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Where the shim of process pid listens: <dir>/<pidns>-<pid>.sock, the namespace read here from
 * /proc/<pid>/ns/pid (spelled out again rather than borrowed from the shim, so a test checks it). */
static inline int ctl_sock_path(char *out, size_t cap, const char *dir, pid_t pid)
{
    char proc[64], link[64];
    unsigned long long ns = 0;
    ssize_t n;

    snprintf(proc, sizeof(proc), "/proc/%d/ns/pid", (int)pid);
    n = readlink(proc, link, sizeof(link) - 1);
    if (n > 0) {
        link[n] = '\0';
        if (sscanf(link, "pid:[%llu]", &ns) != 1)
            ns = 0;
    }
    return snprintf(out, cap, "%s/%llu-%d.sock", dir, ns, (int)pid) < (int)cap ? 0 : -ENAMETOOLONG;
}

static inline int ctl_connect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path))
        return -ENAMETOOLONG;
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int rc = -errno;
        close(fd);
        return rc;
    }
    return fd;
}

/* Sends one line on an open connection and reads one reply line (without "\n") into reply. */
static inline int ctl_exchange(int fd, const char *line, char *reply, size_t cap)
{
    size_t len = strlen(line), got = 0;

    if (send(fd, line, len, MSG_NOSIGNAL) != (ssize_t)len)
        return -EIO;
    while (got + 1 < cap) {
        ssize_t n = recv(fd, reply + got, 1, 0);
        if (n <= 0)
            return -EIO;
        if (reply[got] == '\n')
            break;
        got++;
    }
    reply[got] = '\0';
    return (int)got;
}

static inline int ctl_request(const char *path, const char *line, char *reply, size_t cap)
{
    int fd = ctl_connect(path);
    if (fd < 0)
        return fd;
    int rc = ctl_exchange(fd, line, reply, cap);
    close(fd);
    return rc;
}

/* STATS counters; returns 0 or a negative errno. */
struct ctl_stats {
    double rate;
    unsigned long long launches, blocks, throttled_ns;
    int pid;
    char workload[128];
};

static inline int ctl_stats(const char *path, struct ctl_stats *s)
{
    char reply[512];
    int rc = ctl_request(path, "SAIR/1 STATS\n", reply, sizeof(reply));
    if (rc < 0)
        return rc;
    if (sscanf(reply, "SAIR/1 OK rate=%lf launches=%llu blocks=%llu throttled_ns=%llu pid=%d workload=%127s",
               &s->rate, &s->launches, &s->blocks, &s->throttled_ns, &s->pid, s->workload) != 6)
        return -EPROTO;
    return 0;
}

static inline int ctl_wait_for(const char *path, unsigned timeout_ms)
{
    struct stat st;
    for (unsigned waited = 0; waited < timeout_ms; waited += 10) {
        if (stat(path, &st) == 0)
            return 0;
        ctl_sleep_ms(10);
    }
    return -ETIMEDOUT;
}

#endif
