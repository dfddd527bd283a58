/* A fake libcuda.so.1 for testing the shim without a GPU. It models one device as a FIFO queue:
 * a launch of B blocks occupies it for B * SAIR_FAKE_BLOCK_NS / SAIR_FAKE_SMS ns after the work
 * already queued; cuStreamSynchronize / cuCtxSynchronize sleep until the queue drains; a launch
 * that finds more than SAIR_FAKE_QUEUE_NS of work queued blocks, as a full launch queue does.
 * Entry points use the real driver API signatures from cuda.h. */
#define _GNU_SOURCE
#include <cuda.h>
#undef cuGetProcAddress
#undef cuLaunchKernel
#undef cuLaunchKernelEx
#undef cuLaunchCooperativeKernel
#undef cuStreamSynchronize

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))

static struct {
    pthread_once_t once;
    pthread_mutex_t mu;
    uint64_t busy_until_ns;
    uint64_t block_ns;
    uint64_t queue_ns;
    int sms;
} dev = { .once = PTHREAD_ONCE_INIT, .mu = PTHREAD_MUTEX_INITIALIZER };

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    return (v && v[0]) ? strtoull(v, NULL, 10) : dflt;
}

static void dev_init(void)
{
    dev.block_ns = env_u64("SAIR_FAKE_BLOCK_NS", 10000);
    dev.queue_ns = env_u64("SAIR_FAKE_QUEUE_NS", 20000000);
    dev.sms = (int)env_u64("SAIR_FAKE_SMS", 132);
    if (dev.sms <= 0)
        dev.sms = 1;
}

static void sleep_until(uint64_t t)
{
    struct timespec ts = { .tv_sec = (time_t)(t / 1000000000ull), .tv_nsec = (long)(t % 1000000000ull) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0) {
    }
}

static CUresult enqueue(uint64_t blocks)
{
    uint64_t t, lag;

    pthread_once(&dev.once, dev_init);
    if (blocks == 0)
        return CUDA_ERROR_INVALID_VALUE;
    pthread_mutex_lock(&dev.mu);
    t = now_ns();
    if (dev.busy_until_ns < t)
        dev.busy_until_ns = t;
    dev.busy_until_ns += blocks * dev.block_ns / (uint64_t)dev.sms;
    lag = dev.busy_until_ns - t;
    uint64_t until = dev.busy_until_ns;
    pthread_mutex_unlock(&dev.mu);
    if (lag > dev.queue_ns)
        sleep_until(until - dev.queue_ns);
    return CUDA_SUCCESS;
}

static CUresult drain(void)
{
    pthread_once(&dev.once, dev_init);
    pthread_mutex_lock(&dev.mu);
    uint64_t until = dev.busy_until_ns;
    pthread_mutex_unlock(&dev.mu);
    if (until > now_ns())
        sleep_until(until);
    return CUDA_SUCCESS;
}

EXPORT CUresult cuInit(unsigned int flags)
{
    (void)flags;
    pthread_once(&dev.once, dev_init);
    return CUDA_SUCCESS;
}

EXPORT CUresult cuDriverGetVersion(int *version)
{
    if (!version)
        return CUDA_ERROR_INVALID_VALUE;
    *version = CUDA_VERSION;
    return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGet(CUdevice *device, int ordinal)
{
    if (!device || ordinal != 0)
        return CUDA_ERROR_INVALID_DEVICE;
    *device = 0;
    return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev_)
{
    pthread_once(&dev.once, dev_init);
    if (!pi || dev_ != 0)
        return CUDA_ERROR_INVALID_VALUE;
    if (attrib != CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT)
        return CUDA_ERROR_NOT_SUPPORTED;
    *pi = dev.sms;
    return CUDA_SUCCESS;
}

#define LAUNCH_ARGS                                                                            \
    CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,          \
        unsigned int by, unsigned int bz, unsigned int shm, CUstream st, void **params

#define UNUSED_LAUNCH_ARGS                                                                     \
    (void)f, (void)bx, (void)by, (void)bz, (void)shm, (void)st, (void)params

EXPORT CUresult cuLaunchKernel(LAUNCH_ARGS, void **extra)
{
    UNUSED_LAUNCH_ARGS, (void)extra;
    return enqueue((uint64_t)gx * gy * gz);
}

EXPORT CUresult cuLaunchKernel_ptsz(LAUNCH_ARGS, void **extra)
{
    UNUSED_LAUNCH_ARGS, (void)extra;
    return enqueue((uint64_t)gx * gy * gz);
}

EXPORT CUresult cuLaunchCooperativeKernel(LAUNCH_ARGS)
{
    UNUSED_LAUNCH_ARGS;
    return enqueue((uint64_t)gx * gy * gz);
}

EXPORT CUresult cuLaunchCooperativeKernel_ptsz(LAUNCH_ARGS)
{
    UNUSED_LAUNCH_ARGS;
    return enqueue((uint64_t)gx * gy * gz);
}

EXPORT CUresult cuLaunchKernelEx(const CUlaunchConfig *config, CUfunction f, void **params, void **extra)
{
    (void)f, (void)params, (void)extra;
    if (!config)
        return CUDA_ERROR_INVALID_VALUE;
    return enqueue((uint64_t)config->gridDimX * config->gridDimY * config->gridDimZ);
}

EXPORT CUresult cuLaunchKernelEx_ptsz(const CUlaunchConfig *config, CUfunction f, void **params, void **extra)
{
    return cuLaunchKernelEx(config, f, params, extra);
}

EXPORT CUresult cuStreamSynchronize(CUstream st)
{
    (void)st;
    return drain();
}

EXPORT CUresult cuStreamSynchronize_ptsz(CUstream st)
{
    (void)st;
    return drain();
}

EXPORT CUresult cuCtxSynchronize(void)
{
    return drain();
}

EXPORT CUresult cuGetProcAddress(const char *symbol, void **pfn, int version, cuuint64_t flags);
EXPORT CUresult cuGetProcAddress_v2(const char *symbol, void **pfn, int version, cuuint64_t flags,
                                    CUdriverProcAddressQueryResult *status);

/* What the driver hands out by base name: the legacy entry and, where one exists, the
 * per-thread-default-stream one. */
static const struct {
    const char *name;
    void *legacy;
    void *ptsz;
} procs[] = {
    { "cuInit", (void *)&cuInit, NULL },
    { "cuDriverGetVersion", (void *)&cuDriverGetVersion, NULL },
    { "cuDeviceGet", (void *)&cuDeviceGet, NULL },
    { "cuDeviceGetAttribute", (void *)&cuDeviceGetAttribute, NULL },
    { "cuLaunchKernel", (void *)&cuLaunchKernel, (void *)&cuLaunchKernel_ptsz },
    { "cuLaunchKernelEx", (void *)&cuLaunchKernelEx, (void *)&cuLaunchKernelEx_ptsz },
    { "cuLaunchCooperativeKernel", (void *)&cuLaunchCooperativeKernel, (void *)&cuLaunchCooperativeKernel_ptsz },
    { "cuStreamSynchronize", (void *)&cuStreamSynchronize, (void *)&cuStreamSynchronize_ptsz },
    { "cuCtxSynchronize", (void *)&cuCtxSynchronize, NULL },
};

static CUresult lookup(const char *symbol, void **pfn, int version, cuuint64_t flags,
                       CUdriverProcAddressQueryResult *status)
{
    void *p = NULL;

    if (!symbol || !pfn)
        return CUDA_ERROR_INVALID_VALUE;
    if (strcmp(symbol, "cuGetProcAddress") == 0) {
        p = version >= 12000 ? (void *)&cuGetProcAddress_v2 : (void *)&cuGetProcAddress;
    } else {
        for (size_t i = 0; i < sizeof(procs) / sizeof(procs[0]) && !p; i++)
            if (strcmp(symbol, procs[i].name) == 0)
                p = ((flags & CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM) && procs[i].ptsz)
                        ? procs[i].ptsz
                        : procs[i].legacy;
    }
    *pfn = p;
    if (status)
        *status = p ? CU_GET_PROC_ADDRESS_SUCCESS : CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
    return p ? CUDA_SUCCESS : CUDA_ERROR_NOT_FOUND;
}

EXPORT CUresult cuGetProcAddress(const char *symbol, void **pfn, int version, cuuint64_t flags)
{
    return lookup(symbol, pfn, version, flags, NULL);
}

EXPORT CUresult cuGetProcAddress_v2(const char *symbol, void **pfn, int version, cuuint64_t flags,
                                    CUdriverProcAddressQueryResult *status)
{
    return lookup(symbol, pfn, version, flags, status);
}
