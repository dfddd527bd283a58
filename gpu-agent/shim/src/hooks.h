/* The one list of hooked CUDA driver symbols. Everything that names them (the index enum, the name
 * table, the hook functions, the dlsym and cuGetProcAddress dispatch) is generated from it, so the
 * lists cannot disagree. X(symbol, shape): the shape selects the signature (see shim.c). */
#ifndef SAIR_HOOKS_H
#define SAIR_HOOKS_H

#define SAIR_HOOKS(X)                                  \
    X(cuLaunchKernel, LAUNCH)                          \
    X(cuLaunchKernel_ptsz, LAUNCH)                     \
    X(cuLaunchKernelEx, LAUNCH_EX)                     \
    X(cuLaunchKernelEx_ptsz, LAUNCH_EX)                \
    X(cuLaunchCooperativeKernel, LAUNCH_COOP)          \
    X(cuLaunchCooperativeKernel_ptsz, LAUNCH_COOP)     \
    X(cuGetProcAddress, PROC_V1)                       \
    X(cuGetProcAddress_v2, PROC_V2)

#define SAIR_HOOK_ENUM(name, shape) SAIR_HOOK_##name,
enum sair_hook { SAIR_HOOKS(SAIR_HOOK_ENUM) SAIR_HOOK_COUNT };
#undef SAIR_HOOK_ENUM

#endif
