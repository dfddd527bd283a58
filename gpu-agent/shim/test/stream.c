/* A steady kernel stream on the (fake) driver: launch BLOCKS blocks, synchronise every SYNC_EVERY
 * launches, for SECONDS (0 = until killed) or MAX_LAUNCHES. The mode picks how the launch entry
 * point is found, which is what the shim must intercept:
 *   direct, direct_ptsz, direct_ex, direct_coop  linked against libcuda.so.1 (not in stream_dlopen)
 *   proc, proc_ptds, proc_v1                     cuGetProcAddress_v2 / per-thread / legacy 4-arg
 *   dlopen, dlopen_proc                          dlopen("libcuda.so.1") + dlsym
 *   fork                                         like direct, after forking a child that does too
 * Prints one line: launches=N blocks=N elapsed_ns=N ns_per_launch=X; with HOLD=1 it then stays alive
 * until killed, so that a test reads counters that no longer move.
 * usage: stream MODE BLOCKS SECONDS [SYNC_EVERY=1] [MAX_LAUNCHES=0] [HOLD=0] */
#define _GNU_SOURCE
#include <cuda.h>
#undef cuGetProcAddress

#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef CUresult (*launch_fn)(CUfunction, unsigned int, unsigned int, unsigned int, unsigned int,
                              unsigned int, unsigned int, unsigned int, CUstream, void **, void **);
typedef CUresult (*sync_fn)(CUstream);
typedef CUresult (*proc_v1_fn)(const char *, void **, int, cuuint64_t);
typedef CUresult (*proc_v2_fn)(const char *, void **, int, cuuint64_t, CUdriverProcAddressQueryResult *);

#ifndef STREAM_DLOPEN
CUresult cuGetProcAddress(const char *symbol, void **pfn, int version, cuuint64_t flags);
CUresult cuLaunchKernel_ptsz(CUfunction, unsigned int, unsigned int, unsigned int, unsigned int,
                             unsigned int, unsigned int, unsigned int, CUstream, void **, void **);

static CUresult launch_ex(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz,
                          unsigned int bx, unsigned int by, unsigned int bz, unsigned int shm,
                          CUstream st, void **params, void **extra)
{
    CUlaunchConfig cfg = { .gridDimX = gx, .gridDimY = gy, .gridDimZ = gz, .blockDimX = bx,
                           .blockDimY = by, .blockDimZ = bz, .sharedMemBytes = shm, .hStream = st };
    return cuLaunchKernelEx(&cfg, f, params, extra);
}

static CUresult launch_coop(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz,
                            unsigned int bx, unsigned int by, unsigned int bz, unsigned int shm,
                            CUstream st, void **params, void **extra)
{
    (void)extra;
    return cuLaunchCooperativeKernel(f, gx, gy, gz, bx, by, bz, shm, st, params);
}
#endif

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int resolve(const char *mode, launch_fn *launch, sync_fn *sync)
{
    void *p = NULL;
    void *h = NULL;

    if (strncmp(mode, "dlopen", 6) == 0) {
        h = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            fprintf(stderr, "dlopen: %s\n", dlerror());
            return -1;
        }
        *sync = (sync_fn)dlsym(h, "cuStreamSynchronize");
        if (strcmp(mode, "dlopen") == 0) {
            *launch = (launch_fn)dlsym(h, "cuLaunchKernel");
            return *launch && *sync ? 0 : -1;
        }
        proc_v2_fn gpa = (proc_v2_fn)dlsym(h, "cuGetProcAddress_v2");
        if (!gpa || gpa("cuLaunchKernel", &p, CUDA_VERSION, CU_GET_PROC_ADDRESS_DEFAULT, NULL) != CUDA_SUCCESS)
            return -1;
        *launch = (launch_fn)p;
        return *sync ? 0 : -1;
    }
#ifndef STREAM_DLOPEN
    *sync = cuStreamSynchronize;
    if (strcmp(mode, "direct") == 0 || strcmp(mode, "fork") == 0)
        *launch = cuLaunchKernel;
    else if (strcmp(mode, "direct_ptsz") == 0)
        *launch = cuLaunchKernel_ptsz;
    else if (strcmp(mode, "direct_ex") == 0)
        *launch = launch_ex;
    else if (strcmp(mode, "direct_coop") == 0)
        *launch = launch_coop;
    else if (strcmp(mode, "proc") == 0 || strcmp(mode, "proc_ptds") == 0) {
        cuuint64_t flags = strcmp(mode, "proc") == 0 ? CU_GET_PROC_ADDRESS_LEGACY_STREAM
                                                    : CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM;
        CUdriverProcAddressQueryResult st;
        if (cuGetProcAddress_v2("cuLaunchKernel", &p, CUDA_VERSION, flags, &st) != CUDA_SUCCESS)
            return -1;
        *launch = (launch_fn)p;
    } else if (strcmp(mode, "proc_v1") == 0) {
        /* The runtime of CUDA 11.x finds entry points through the legacy 4-argument export. */
        if (cuGetProcAddress("cuLaunchKernel", &p, 11080, CU_GET_PROC_ADDRESS_DEFAULT) != CUDA_SUCCESS)
            return -1;
        *launch = (launch_fn)p;
    } else
        return -1;
    return 0;
#else
    return -1;
#endif
}

int main(int argc, char **argv)
{
    launch_fn launch = NULL;
    sync_fn sync = NULL;

    if (argc < 4) {
        fprintf(stderr, "usage: %s MODE BLOCKS SECONDS [SYNC_EVERY=1] [MAX_LAUNCHES=0] [HOLD=0]\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    unsigned int blocks = (unsigned int)strtoul(argv[2], NULL, 10);
    double seconds = strtod(argv[3], NULL);
    uint64_t sync_every = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
    uint64_t max_launches = argc > 5 ? strtoull(argv[5], NULL, 10) : 0;
    int hold = argc > 6 && strcmp(argv[6], "1") == 0;

    if (strcmp(mode, "fork") == 0) {
        pid_t child = fork();
        if (child < 0)
            return 1;
        if (child > 0)
            signal(SIGTERM, SIG_DFL);
    }
    if (resolve(mode, &launch, &sync) != 0 || !launch) {
        fprintf(stderr, "cannot resolve launch for mode %s\n", mode);
        return 1;
    }
    uint64_t start = now_ns(), end = start + (uint64_t)(seconds * 1e9), n = 0;
    for (;;) {
        if (launch(NULL, blocks, 1, 1, 128, 1, 1, 0, NULL, NULL, NULL) != CUDA_SUCCESS) {
            fprintf(stderr, "launch failed\n");
            return 1;
        }
        n++;
        if (sync_every && n % sync_every == 0)
            sync(NULL);
        if (max_launches && n >= max_launches)
            break;
        if (seconds > 0 && (n & 15) == 0 && now_ns() >= end)
            break;
    }
    sync(NULL);
    uint64_t elapsed = now_ns() - start;
    printf("launches=%llu blocks=%llu elapsed_ns=%llu ns_per_launch=%.1f\n", (unsigned long long)n,
           (unsigned long long)(n * blocks), (unsigned long long)elapsed, (double)elapsed / (double)n);
    fflush(stdout);
    while (hold)
        pause();
    return 0;
}
