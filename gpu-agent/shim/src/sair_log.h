/* Logging for the shim: one line per message on stderr, with pid, tid and file:line.
 * The level comes from SAIR_LOG_LEVEL (error|warn|info|debug), read once by sair_log_init(). */
#ifndef SAIR_LOG_H
#define SAIR_LOG_H

#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

enum sair_log_level { SAIR_LOG_ERROR = 0, SAIR_LOG_WARN = 1, SAIR_LOG_INFO = 2, SAIR_LOG_DEBUG = 3 };

/* Defined in shim.c; hidden, not exported from the library. */
extern int sair_log_level;
void sair_log_init(void);

#define SAIR_LOG(lvl, tag, fmt, ...)                                                   \
    do {                                                                               \
        if ((lvl) <= sair_log_level)                                                   \
            fprintf(stderr, "[sair %s pid=%d tid=%ld %s:%d] " fmt "\n", (tag),         \
                    (int)getpid(), (long)syscall(SYS_gettid), __FILE__, __LINE__,      \
                    ##__VA_ARGS__);                                                    \
    } while (0)

#define LOG_ERROR(fmt, ...) SAIR_LOG(SAIR_LOG_ERROR, "ERROR", fmt, ##__VA_ARGS__)
#define LOG_WARN(fmt, ...)  SAIR_LOG(SAIR_LOG_WARN, "WARN", fmt, ##__VA_ARGS__)
#define LOG_INFO(fmt, ...)  SAIR_LOG(SAIR_LOG_INFO, "INFO", fmt, ##__VA_ARGS__)
#define LOG_DEBUG(fmt, ...) SAIR_LOG(SAIR_LOG_DEBUG, "DEBUG", fmt, ##__VA_ARGS__)

#endif
