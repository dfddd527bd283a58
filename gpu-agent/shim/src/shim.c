/* libsair-shim: an LD_PRELOAD throttle for CUDA kernel launches.
 *
 * Every hooked launch pays its grid's block count into a token bucket (tb.c) whose per-window
 * grant is rho * capacity * 10 ms; capacity is learned (see calibrate()). rho comes from
 * SAIR_GPU_RATE and then from the control socket (proto.c). At rho = 1 a launch costs one relaxed
 * atomic load plus the two relaxed counter adds that STATS reports. */
#define _GNU_SOURCE
#include <cuda.h>
/* cuda.h maps these names onto versioned or per-thread ones; the shim defines every real name. */
#undef cuGetProcAddress
#undef cuLaunchKernel
#undef cuLaunchKernelEx
#undef cuLaunchCooperativeKernel

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"
#include "proto.h"
#include "sair_log.h"
#include "tb.h"

#define SAIR_EXPORT __attribute__((visibility("default")))
#define RATE_ONE_PPM 1000000u
/* Set in rate_ppm by a forked child: its first launch leaves the fast path and starts the child's
 * own control thread and socket. Keeps the fast path at one load. */
#define RATE_NEEDS_START 0x80000000u
#define RATE_MASK 0x7fffffffu
#define CAL_INTERVAL_NS 100000000ull /* calibration sample every 100 ms */
#define CAL_ALPHA 0.3                /* EWMA weight of a new capacity sample */
#define CAL_LOWER_BELOW 0.75         /* a pooled stalled sample lowers capacity only below 0.75 x it */
#define CAL_POOL_ACTIVE_NS 200000000ull /* active time pooled from stalled intervals per sample */
#define MAX_CLIENTS 8

int sair_log_level = SAIR_LOG_WARN;

typedef void *(*dlsym_fn)(void *, const char *);
typedef CUresult (*launch_fn)(CUfunction, unsigned int, unsigned int, unsigned int, unsigned int,
                              unsigned int, unsigned int, unsigned int, CUstream, void **, void **);
typedef CUresult (*launch_ex_fn)(const CUlaunchConfig *, CUfunction, void **, void **);
typedef CUresult (*launch_coop_fn)(CUfunction, unsigned int, unsigned int, unsigned int,
                                   unsigned int, unsigned int, unsigned int, unsigned int,
                                   CUstream, void **);
typedef CUresult (*proc_v1_fn)(const char *, void **, int, cuuint64_t);
typedef CUresult (*proc_v2_fn)(const char *, void **, int, cuuint64_t,
                               CUdriverProcAddressQueryResult *);

struct client {
    int fd;
    size_t len;
    char buf[SAIR_LINE_MAX];
};

/* Process-wide state. The hot fields are atomics; the bucket and calibration live under mu. */
static struct {
    _Atomic uint32_t rate_ppm;
    _Atomic uint64_t launches;
    _Atomic uint64_t blocks;
    _Atomic uint64_t throttled_ns;
    _Atomic int control_pid; /* pid that owns the running control thread, 0 if none */

    pthread_mutex_t mu;
    pthread_cond_t cv; /* CLOCK_MONOTONIC; broadcast on every rate or grant change */
    struct tb bucket;
    double capacity; /* learned unthrottled block throughput, blocks/s; 0 = not yet known */
    int cal_warm;
    uint64_t cal_pool_blocks, cal_pool_active_ns; /* pooled stalled intervals */
    int cal_low_pools;                             /* consecutive pools clearly below capacity */
    uint64_t cal_last_ns, cal_last_blocks, cal_last_stall_ns;

    int listen_fd;
    char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    char workload[128];
    char sock_dir[96];
} g = { .rate_ppm = RATE_ONE_PPM, .mu = PTHREAD_MUTEX_INITIALIZER, .listen_fd = -1 };

/* ---- the hook tables ---------------------------------------------------------------------- */

#define SAIR_HOOK_NAME(name, shape) #name,
static const char *const g_hook_names[SAIR_HOOK_COUNT] = { SAIR_HOOKS(SAIR_HOOK_NAME) };
#undef SAIR_HOOK_NAME

/* Real entry points: g_real_sym for names resolved by symbol (direct linking, dlsym),
 * g_real_proc for those handed out by the driver's cuGetProcAddress, which may differ. */
static _Atomic(void *) g_real_sym[SAIR_HOOK_COUNT];
static _Atomic(void *) g_real_proc[SAIR_HOOK_COUNT];
static _Atomic(dlsym_fn) g_real_dlsym;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static dlsym_fn real_dlsym(void)
{
    dlsym_fn fn = atomic_load_explicit(&g_real_dlsym, memory_order_acquire);
    static const char *const versions[] = { "GLIBC_2.34", "GLIBC_2.2.5", "GLIBC_2.17" };

    if (fn)
        return fn;
    for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]) && !fn; i++)
        fn = (dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", versions[i]);
    if (fn)
        atomic_store_explicit(&g_real_dlsym, fn, memory_order_release);
    return fn;
}

static int hook_index(const char *symbol)
{
    for (int i = 0; i < SAIR_HOOK_COUNT; i++)
        if (strcmp(symbol, g_hook_names[i]) == 0)
            return i;
    return -1;
}

/* The real symbol `name`: the next definition after the shim, or libcuda.so.1 when the
 * application only dlopens the driver. NULL (logged) when there is none. */
static void *real_sym(int idx)
{
    void *p = atomic_load_explicit(&g_real_sym[idx], memory_order_acquire);
    dlsym_fn rd;

    if (p)
        return p;
    rd = real_dlsym();
    if (!rd)
        return NULL;
    p = rd(RTLD_NEXT, g_hook_names[idx]);
    if (!p) {
        void *h = dlopen("libcuda.so.1", RTLD_NOW | RTLD_NOLOAD);
        if (!h)
            h = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
        if (h)
            p = rd(h, g_hook_names[idx]);
    }
    if (!p) {
        LOG_ERROR("no real %s in the CUDA driver", g_hook_names[idx]);
        return NULL;
    }
    void *expected = NULL;
    if (!atomic_compare_exchange_strong(&g_real_sym[idx], &expected, p))
        p = expected;
    return p;
}

static void *real_proc(int idx)
{
    return atomic_load_explicit(&g_real_proc[idx], memory_order_acquire);
}

/* ---- throttle ----------------------------------------------------------------------------- */

static void control_ensure_started(void);

static void admit_slow(uint64_t blocks)
{
    uint64_t start = 0, t;

    if (atomic_load_explicit(&g.rate_ppm, memory_order_relaxed) & RATE_NEEDS_START) {
        control_ensure_started();
        atomic_fetch_and_explicit(&g.rate_ppm, RATE_MASK, memory_order_relaxed);
    }
    pthread_mutex_lock(&g.mu);
    for (;;) {
        uint32_t ppm = atomic_load_explicit(&g.rate_ppm, memory_order_relaxed) & RATE_MASK;
        if (ppm >= RATE_ONE_PPM || g.capacity <= 0)
            break; /* unthrottled, or not calibrated yet: pass through */
        t = now_ns();
        tb_refill(&g.bucket, t);
        uint64_t wait = tb_take(&g.bucket, (double)blocks, t);
        if (wait == 0)
            break;
        if (start == 0)
            start = t;
        uint64_t deadline = t + wait;
        struct timespec ts = { .tv_sec = (time_t)(deadline / 1000000000ull),
                               .tv_nsec = (long)(deadline % 1000000000ull) };
        /* Sleeps until the refill, or until a rate change broadcasts. */
        pthread_cond_timedwait(&g.cv, &g.mu, &ts);
    }
    pthread_mutex_unlock(&g.mu);
    if (start != 0)
        atomic_fetch_add_explicit(&g.throttled_ns, now_ns() - start, memory_order_relaxed);
}

static inline void admit(uint64_t blocks)
{
    if (__builtin_expect(atomic_load_explicit(&g.rate_ppm, memory_order_relaxed) != RATE_ONE_PPM, 0))
        admit_slow(blocks);
    atomic_fetch_add_explicit(&g.launches, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&g.blocks, blocks, memory_order_relaxed);
}

static inline uint64_t grid_blocks(unsigned int x, unsigned int y, unsigned int z)
{
    return (uint64_t)x * y * z;
}

/* Called with mu held: the bucket follows the current rate and capacity. */
static void apply_grant_locked(uint64_t t, int restart)
{
    double rho = (atomic_load_explicit(&g.rate_ppm, memory_order_relaxed) & RATE_MASK) / (double)RATE_ONE_PPM;
    double grant = rho * g.capacity * ((double)TB_WINDOW_NS / 1e9);

    if (restart)
        tb_set_grant(&g.bucket, grant, t);
    else
        g.bucket.grant = grant;
    pthread_cond_broadcast(&g.cv);
}

static void set_rate(double rho)
{
    uint32_t ppm = (uint32_t)(rho * RATE_ONE_PPM + 0.5);

    pthread_mutex_lock(&g.mu);
    atomic_store_explicit(&g.rate_ppm, ppm, memory_order_relaxed);
    apply_grant_locked(now_ns(), 1);
    pthread_mutex_unlock(&g.mu);
    LOG_INFO("rate set to %.6g", rho);
}

/* Capacity calibration, every CAL_INTERVAL_NS on the control thread.
 *
 * capacity estimates the application's unthrottled block throughput, so that the bucket can grant
 * rho times it. A sample is blocks / (elapsed - stalled): blocks admitted in the interval over the
 * wall time in which the bucket held no launch back.
 *  - An interval without stall ran unthrottled (rho = 1, a non-binding bucket, or the pass-through
 *    before the first sample): its sample is the real unthrottled throughput and the capacity
 *    follows it (EWMA).
 *  - Intervals with stall give an estimate that is right for a stream that synchronises on its
 *    kernels but too high for a pipelined one (the device keeps draining queued work while the
 *    launch thread is held), and noisy (a throttled interval holds few launches). So they are
 *    pooled until CAL_POOL_ACTIVE_NS of active time is in, and the pooled sample may only lower
 *    the capacity, and only when two pools in a row are clearly (25%) below it (a heavier kernel
 *    mix while throttled; one slow pool may be CPU contention), by an EWMA step.
 * An interval with no launches is skipped, and so is the first active one (it usually starts
 * mid-interval). Until the first sample the bucket passes launches through. */
static void calibrate(uint64_t t)
{
    pthread_mutex_lock(&g.mu);
    uint64_t blocks = atomic_load_explicit(&g.blocks, memory_order_relaxed);
    uint64_t stall = g.bucket.stall_ns + (g.bucket.stall_start_ns ? t - g.bucket.stall_start_ns : 0);
    uint64_t d_t = t - g.cal_last_ns, d_b = blocks - g.cal_last_blocks;
    uint64_t d_s = stall - g.cal_last_stall_ns;
    uint64_t active = d_t > d_s ? d_t - d_s : 0;

    if (d_b == 0) {
        g.cal_warm = 0;
    } else if (!g.cal_warm) {
        g.cal_warm = 1;
    } else if (d_s == 0 && active > 0) {
        double sample = (double)d_b / ((double)active / 1e9);
        int first = g.capacity <= 0;
        g.capacity = first ? sample : g.capacity + CAL_ALPHA * (sample - g.capacity);
        g.cal_pool_blocks = g.cal_pool_active_ns = 0;
        apply_grant_locked(t, first);
        LOG_DEBUG("calibration: free sample %.0f blocks/s, capacity %.0f", sample, g.capacity);
    } else if (g.capacity > 0) {
        g.cal_pool_blocks += d_b;
        g.cal_pool_active_ns += active;
        if (g.cal_pool_active_ns >= CAL_POOL_ACTIVE_NS) {
            double sample = (double)g.cal_pool_blocks / ((double)g.cal_pool_active_ns / 1e9);
            /* Two pools in a row clearly below: one slow pool can be CPU contention. */
            if (sample < CAL_LOWER_BELOW * g.capacity && ++g.cal_low_pools >= 2) {
                g.capacity += CAL_ALPHA * (sample - g.capacity);
                apply_grant_locked(t, 0);
            } else if (sample >= CAL_LOWER_BELOW * g.capacity) {
                g.cal_low_pools = 0;
            }
            LOG_DEBUG("calibration: pooled stalled sample %.0f blocks/s, capacity %.0f", sample, g.capacity);
            g.cal_pool_blocks = g.cal_pool_active_ns = 0;
        }
    }
    g.cal_last_ns = t;
    g.cal_last_blocks = blocks;
    g.cal_last_stall_ns = stall;
    pthread_mutex_unlock(&g.mu);
}

/* ---- hooks -------------------------------------------------------------------------------- */

#define SAIR_LAUNCH_ARGS(p)                                                                    \
    CUfunction p##f, unsigned int p##gx, unsigned int p##gy, unsigned int p##gz,               \
        unsigned int p##bx, unsigned int p##by, unsigned int p##bz, unsigned int p##shm,       \
        CUstream p##st, void **p##params

#define SAIR_DEFINE_LAUNCH(name, fn, resolve, vis)                                             \
    vis CUresult fn(SAIR_LAUNCH_ARGS(), void **extra)                                          \
    {                                                                                          \
        launch_fn real = (launch_fn)resolve(SAIR_HOOK_##name);                                 \
        if (!real)                                                                             \
            return CUDA_ERROR_NOT_FOUND;                                                       \
        admit(grid_blocks(gx, gy, gz));                                                        \
        return real(f, gx, gy, gz, bx, by, bz, shm, st, params, extra);                        \
    }

#define SAIR_DEFINE_LAUNCH_COOP(name, fn, resolve, vis)                                        \
    vis CUresult fn(SAIR_LAUNCH_ARGS())                                                        \
    {                                                                                          \
        launch_coop_fn real = (launch_coop_fn)resolve(SAIR_HOOK_##name);                       \
        if (!real)                                                                             \
            return CUDA_ERROR_NOT_FOUND;                                                       \
        admit(grid_blocks(gx, gy, gz));                                                        \
        return real(f, gx, gy, gz, bx, by, bz, shm, st, params);                               \
    }

#define SAIR_DEFINE_LAUNCH_EX(name, fn, resolve, vis)                                          \
    vis CUresult fn(const CUlaunchConfig *config, CUfunction f, void **params, void **extra)   \
    {                                                                                          \
        launch_ex_fn real = (launch_ex_fn)resolve(SAIR_HOOK_##name);                           \
        if (!real)                                                                             \
            return CUDA_ERROR_NOT_FOUND;                                                       \
        if (config)                                                                            \
            admit(grid_blocks(config->gridDimX, config->gridDimY, config->gridDimZ));          \
        return real(config, f, params, extra);                                                 \
    }

static void *wrap_proc(const char *symbol, void *pfn, int cuda_version, cuuint64_t flags);

/* cuGetProcAddress (CUDA 11.3+: flags; the unversioned export keeps this 4-argument form). */
#define SAIR_DEFINE_PROC_V1(name, fn, resolve, vis)                                            \
    vis CUresult fn(const char *symbol, void **pfn, int cuda_version, cuuint64_t flags)        \
    {                                                                                          \
        proc_v1_fn real = (proc_v1_fn)resolve(SAIR_HOOK_##name);                               \
        if (!real)                                                                             \
            return CUDA_ERROR_NOT_FOUND;                                                       \
        CUresult rc = real(symbol, pfn, cuda_version, flags);                                  \
        if (rc == CUDA_SUCCESS && pfn)                                                         \
            *pfn = wrap_proc(symbol, *pfn, cuda_version, flags);                               \
        return rc;                                                                             \
    }

/* cuGetProcAddress_v2 (CUDA 12.0+, what cuda.h calls cuGetProcAddress): adds symbolStatus. */
#define SAIR_DEFINE_PROC_V2(name, fn, resolve, vis)                                            \
    vis CUresult fn(const char *symbol, void **pfn, int cuda_version, cuuint64_t flags,        \
                    CUdriverProcAddressQueryResult *status)                                    \
    {                                                                                          \
        proc_v2_fn real = (proc_v2_fn)resolve(SAIR_HOOK_##name);                               \
        if (!real)                                                                             \
            return CUDA_ERROR_NOT_FOUND;                                                       \
        CUresult rc = real(symbol, pfn, cuda_version, flags, status);                          \
        if (rc == CUDA_SUCCESS && pfn)                                                         \
            *pfn = wrap_proc(symbol, *pfn, cuda_version, flags);                               \
        return rc;                                                                             \
    }

/* Each symbol gets two hooks: the exported one (reached by direct linking and dlsym) and a static
 * twin handed out by cuGetProcAddress, each calling the real entry it was resolved with. */
#define SAIR_DEFINE_HOOKS(name, shape)                                                         \
    SAIR_DEFINE_##shape(name, name, real_sym, SAIR_EXPORT)                                     \
    SAIR_DEFINE_##shape(name, proc_##name, real_proc, static)
SAIR_HOOKS(SAIR_DEFINE_HOOKS)
#undef SAIR_DEFINE_HOOKS

#define SAIR_HOOK_SYM_ADDR(name, shape) (void *)&name,
#define SAIR_HOOK_PROC_ADDR(name, shape) (void *)&proc_##name,
static void *const g_hook_sym[SAIR_HOOK_COUNT] = { SAIR_HOOKS(SAIR_HOOK_SYM_ADDR) };
static void *const g_hook_proc[SAIR_HOOK_COUNT] = { SAIR_HOOKS(SAIR_HOOK_PROC_ADDR) };
#undef SAIR_HOOK_SYM_ADDR
#undef SAIR_HOOK_PROC_ADDR

/* Bind a real entry into a slot and return the hook for it; if the slot already holds a different
 * entry (a second driver, another symbol version) hand back the real one, unthrottled but correct. */
static void *adopt(_Atomic(void *) *slots, void *const *hooks, int idx, void *real)
{
    void *expected = NULL;

    if (real == hooks[idx] || real == g_hook_sym[idx] || real == g_hook_proc[idx])
        return real; /* already ours (e.g. dlsym(RTLD_DEFAULT) finding the preloaded shim) */
    if (atomic_compare_exchange_strong(&slots[idx], &expected, real) || expected == real)
        return hooks[idx];
    LOG_WARN("%s: driver returned a second entry point, left unthrottled", g_hook_names[idx]);
    return real;
}

/* The runtime asks cuGetProcAddress for base names ("cuLaunchKernel") and says with flags whether
 * it wants the per-thread-default-stream variant, so the name alone does not pick the hook. */
static void *wrap_proc(const char *symbol, void *pfn, int cuda_version, cuuint64_t flags)
{
    char ptsz[64];
    int idx;

    if (!symbol || !pfn || symbol[0] != 'c' || symbol[1] != 'u')
        return pfn;
    if (strcmp(symbol, "cuGetProcAddress") == 0)
        idx = cuda_version >= 12000 ? SAIR_HOOK_cuGetProcAddress_v2 : SAIR_HOOK_cuGetProcAddress;
    else
        idx = hook_index(symbol);
    if (idx < 0)
        return pfn;
    if ((flags & CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM) &&
        (size_t)snprintf(ptsz, sizeof(ptsz), "%s_ptsz", symbol) < sizeof(ptsz)) {
        int p = hook_index(ptsz);
        if (p >= 0)
            idx = p;
    }
    return adopt(g_real_proc, g_hook_proc, idx, pfn);
}

SAIR_EXPORT void *dlsym(void *handle, const char *symbol)
{
    dlsym_fn rd = real_dlsym();
    void *p;
    int idx;

    if (!rd)
        return NULL;
    p = rd(handle, symbol);
    if (!p || symbol[0] != 'c' || symbol[1] != 'u') /* p != NULL: symbol was a valid name */
        return p;
    idx = hook_index(symbol);
    if (idx < 0)
        return p;
    return adopt(g_real_sym, g_hook_sym, idx, p);
}

/* ---- control socket ----------------------------------------------------------------------- */

static int handle_line(const char *line, size_t len, char *out, size_t cap)
{
    struct sair_msg msg;
    const char *reason = NULL;
    int rc = sair_proto_parse(line, len, &msg, &reason);

    if (rc < 0) {
        LOG_WARN("refused control message: %s", reason);
        return sair_proto_format_err(out, cap, reason);
    }
    if (msg.type == SAIR_MSG_RATE) {
        set_rate(msg.rate);
        return sair_proto_format_ok_rate(out, cap, msg.rate);
    }
    struct sair_stats s = {
        .rate = (atomic_load_explicit(&g.rate_ppm, memory_order_relaxed) & RATE_MASK) / (double)RATE_ONE_PPM,
        .launches = atomic_load_explicit(&g.launches, memory_order_relaxed),
        .blocks = atomic_load_explicit(&g.blocks, memory_order_relaxed),
        .throttled_ns = atomic_load_explicit(&g.throttled_ns, memory_order_relaxed),
        .pid = (int)getpid(),
        .workload = g.workload,
    };
    return sair_proto_format_stats(out, cap, &s);
}

/* Reads what is there; answers every complete line. Returns -1 when the client should be closed. */
static int client_readable(struct client *c)
{
    char reply[SAIR_LINE_MAX];
    ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);

    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return -1;
    if (n < 0)
        return 0;
    c->len += (size_t)n;
    for (;;) {
        char *nl = memchr(c->buf, '\n', c->len);
        if (!nl)
            break;
        size_t line_len = (size_t)(nl - c->buf) + 1;
        int r = handle_line(c->buf, line_len, reply, sizeof(reply));
        if (r > 0 && send(c->fd, reply, (size_t)r, MSG_NOSIGNAL) != r)
            return -1;
        memmove(c->buf, c->buf + line_len, c->len - line_len);
        c->len -= line_len;
    }
    if (c->len == sizeof(c->buf)) {
        int r = sair_proto_format_err(reply, sizeof(reply), "line too long");
        if (r > 0)
            (void)send(c->fd, reply, (size_t)r, MSG_NOSIGNAL);
        return -1;
    }
    return 0;
}

/* This process's PID namespace (see sair_socket_name); 0 when /proc is not readable. */
static uint64_t pidns_self(void)
{
    char link[64];
    uint64_t ns = 0;
    ssize_t n = readlink("/proc/self/ns/pid", link, sizeof(link));

    if (n <= 0 || (size_t)n >= sizeof(link) || sair_pidns_parse(link, (size_t)n, &ns) < 0) {
        LOG_WARN("cannot read the PID namespace from /proc/self/ns/pid; socket named 0-<pid>.sock");
        return 0;
    }
    return ns;
}

/* Binds <dir>/<pidns>-<pid>.sock with mode 0600: bound under a hidden name, chmod-ed, then renamed,
 * so the public name never exists with wider permissions. Returns the fd or a negative errno. */
static int socket_open(const char *dir, int pid, char *path, size_t path_cap)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    char name[64];
    int fd, rc;

    if (sair_socket_name(name, sizeof(name), pidns_self(), pid) < 0 ||
        (size_t)snprintf(path, path_cap, "%s/%s", dir, name) >= path_cap ||
        (size_t)snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/.%s.tmp", dir, name) >=
            sizeof(addr.sun_path))
        return -ENAMETOOLONG;
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return -errno;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    unlink(addr.sun_path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(addr.sun_path, 0600) < 0 ||
        listen(fd, 16) < 0 || rename(addr.sun_path, path) < 0) {
        rc = -errno;
        goto fail;
    }
    return fd;
fail:
    unlink(addr.sun_path);
    close(fd);
    return rc;
}

static void *control_main(void *arg)
{
    struct client clients[MAX_CLIENTS];
    struct pollfd fds[MAX_CLIENTS + 1];
    uint64_t next_cal = now_ns() + CAL_INTERVAL_NS;

    (void)arg;
    for (int i = 0; i < MAX_CLIENTS; i++)
        clients[i].fd = -1;
    for (;;) {
        int nfds = 0;
        if (g.listen_fd >= 0)
            fds[nfds++] = (struct pollfd){ .fd = g.listen_fd, .events = POLLIN };
        for (int i = 0; i < MAX_CLIENTS; i++)
            if (clients[i].fd >= 0)
                fds[nfds++] = (struct pollfd){ .fd = clients[i].fd, .events = POLLIN };
        uint64_t t = now_ns();
        int timeout_ms = t >= next_cal ? 0 : (int)((next_cal - t) / 1000000ull) + 1;
        int n = poll(fds, (nfds_t)nfds, timeout_ms);
        t = now_ns();
        if (t >= next_cal) {
            calibrate(t);
            next_cal = t + CAL_INTERVAL_NS;
        }
        if (n <= 0)
            continue;
        for (int k = 0; k < nfds; k++) {
            if (!fds[k].revents)
                continue;
            if (fds[k].fd == g.listen_fd) {
                int cfd = accept4(g.listen_fd, NULL, NULL, SOCK_CLOEXEC);
                int slot = -1;
                for (int i = 0; i < MAX_CLIENTS && cfd >= 0 && slot < 0; i++)
                    if (clients[i].fd < 0)
                        slot = i;
                if (cfd >= 0 && slot < 0) {
                    LOG_WARN("too many control clients, refusing one");
                    close(cfd);
                } else if (cfd >= 0) {
                    clients[slot].fd = cfd;
                    clients[slot].len = 0;
                }
                continue;
            }
            for (int i = 0; i < MAX_CLIENTS; i++) {
                if (clients[i].fd == fds[k].fd && client_readable(&clients[i]) < 0) {
                    close(clients[i].fd);
                    clients[i].fd = -1;
                }
            }
        }
    }
    return NULL;
}

/* Starts this process's control thread (and socket) once per pid: at load, and lazily in a forked
 * child on its first launch (a child that only execs never opens a socket). Never fails the caller: without a socket the shim keeps
 * its last rate. */
static void control_ensure_started(void)
{
    int pid = (int)getpid();
    int expected = 0;
    pthread_t th;
    pthread_attr_t attr;

    if (atomic_load_explicit(&g.control_pid, memory_order_acquire) == pid)
        return;
    if (!atomic_compare_exchange_strong(&g.control_pid, &expected, pid))
        return;
    if (g.sock_dir[0]) {
        int fd = socket_open(g.sock_dir, pid, g.sock_path, sizeof(g.sock_path));
        if (fd < 0) {
            g.sock_path[0] = '\0';
            LOG_ERROR("cannot open control socket in %s: %s", g.sock_dir, strerror(-fd));
        } else {
            g.listen_fd = fd;
            LOG_INFO("control socket %s", g.sock_path);
        }
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&th, &attr, control_main, NULL) != 0)
        LOG_ERROR("cannot start the control thread; rate stays at its last value");
    pthread_attr_destroy(&attr);
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

static void init_sync(void)
{
    pthread_condattr_t ca;

    pthread_mutex_init(&g.mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g.cv, &ca);
    pthread_condattr_destroy(&ca);
}

static void atfork_prepare(void)
{
    pthread_mutex_lock(&g.mu);
}

static void atfork_parent(void)
{
    pthread_mutex_unlock(&g.mu);
}

/* The child has only the forking thread: fresh lock and condvar, no control thread, the parent's
 * socket closed, its own counters. Its control thread starts on its first launch. */
static void atfork_child(void)
{
    init_sync();
    if (g.listen_fd >= 0)
        close(g.listen_fd);
    g.listen_fd = -1;
    g.sock_path[0] = '\0';
    atomic_store(&g.control_pid, 0);
    atomic_fetch_or(&g.rate_ppm, RATE_NEEDS_START);
    atomic_store(&g.launches, 0);
    atomic_store(&g.blocks, 0);
    atomic_store(&g.throttled_ns, 0);
    g.cal_last_blocks = 0;
    g.cal_warm = 0;
    g.cal_pool_blocks = g.cal_pool_active_ns = 0;
    g.cal_low_pools = 0;
}

void sair_log_init(void)
{
    const char *lvl = getenv("SAIR_LOG_LEVEL");

    if (!lvl)
        return;
    if (strcmp(lvl, "error") == 0)
        sair_log_level = SAIR_LOG_ERROR;
    else if (strcmp(lvl, "info") == 0)
        sair_log_level = SAIR_LOG_INFO;
    else if (strcmp(lvl, "debug") == 0)
        sair_log_level = SAIR_LOG_DEBUG;
    else
        sair_log_level = SAIR_LOG_WARN;
}

static void read_env(void)
{
    const char *rate = getenv("SAIR_GPU_RATE");
    const char *wl = getenv("SAIR_WORKLOAD");
    const char *dir = getenv("SAIR_SOCKET_DIR");
    double rho = 1.0;

    if (rate && sair_proto_parse_rate(rate, strlen(rate), &rho) < 0) {
        LOG_WARN("SAIR_GPU_RATE=%s is not a rate in [0.1, 1]; using 1", rate);
        rho = 1.0;
    }
    atomic_store(&g.rate_ppm, (uint32_t)(rho * RATE_ONE_PPM + 0.5));
    /* The workload id travels as one protocol token: no blanks or control characters. */
    snprintf(g.workload, sizeof(g.workload), "%s", (wl && wl[0]) ? wl : "-");
    for (char *c = g.workload; *c; c++)
        if ((unsigned char)*c <= ' ')
            *c = '_';
    if (dir && dir[0] && (size_t)snprintf(g.sock_dir, sizeof(g.sock_dir), "%s", dir) >= sizeof(g.sock_dir)) {
        LOG_ERROR("SAIR_SOCKET_DIR is too long; no control socket");
        g.sock_dir[0] = '\0';
    }
}

__attribute__((constructor)) static void sair_shim_init(void)
{
    sair_log_init();
    init_sync();
    read_env();
    g.cal_last_ns = now_ns();
    tb_init(&g.bucket, 0, g.cal_last_ns);
    pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
    control_ensure_started();
    LOG_INFO("loaded: rate %.6g, workload %s",
             atomic_load(&g.rate_ppm) / (double)RATE_ONE_PPM, g.workload);
}

__attribute__((destructor)) static void sair_shim_fini(void)
{
    if (g.sock_path[0] && atomic_load(&g.control_pid) == (int)getpid())
        unlink(g.sock_path);
}
