/* The control protocol on the shim's Unix socket: one request line, one reply line.
 *   SAIR/1 RATE <rho>   ->  SAIR/1 OK rate=<rho>
 *   SAIR/1 STATS        ->  SAIR/1 OK rate=<rho> launches=<n> blocks=<n> throttled_ns=<n> pid=<n> workload=<id>
 *   anything else       ->  SAIR/1 ERR <reason>
 * The parser and formatters are pure functions (no I/O, no globals). */
#ifndef SAIR_PROTO_H
#define SAIR_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define SAIR_PROTO_MAGIC "SAIR/1"
#define SAIR_RATE_MIN 0.1
#define SAIR_RATE_MAX 1.0
#define SAIR_LINE_MAX 512

enum sair_msg_type { SAIR_MSG_RATE = 1, SAIR_MSG_STATS = 2 };

struct sair_msg {
    enum sair_msg_type type;
    double rate; /* for SAIR_MSG_RATE */
};

struct sair_stats {
    double rate;
    uint64_t launches;
    uint64_t blocks;
    uint64_t throttled_ns;
    int pid;
    const char *workload;
};

/* Parse one request line (without or with a trailing "\n" / "\r\n"). Returns 0 and fills *out,
 * or a negative errno with a static reason in *reason:
 * -EPROTO (missing or other magic/version), -EINVAL (unknown verb, bad syntax), -ERANGE (rate
 * outside [0.1, 1]). */
int sair_proto_parse(const char *line, size_t len, struct sair_msg *out, const char **reason);

/* Reply formatters: write one line ending in "\n" into buf; return its length, or -ENOSPC. */
int sair_proto_format_ok_rate(char *buf, size_t cap, double rate);
int sair_proto_format_stats(char *buf, size_t cap, const struct sair_stats *s);
int sair_proto_format_err(char *buf, size_t cap, const char *reason);

/* Parse a rate as accepted by the protocol and SAIR_GPU_RATE; 0 or -EINVAL / -ERANGE. */
int sair_proto_parse_rate(const char *s, size_t len, double *out);

/* The control socket's file name, "<pidns>-<pid>.sock". Containers on one node share the socket
 * directory but each numbers its processes from 1, so the pid alone would collide; the PID
 * namespace's inode number (from /proc/self/ns/pid) makes the name unique on the node.
 * Returns the length, or -ENOSPC. */
int sair_socket_name(char *buf, size_t cap, uint64_t pidns, int pid);

/* Parse the target of a /proc/<pid>/ns/pid link, "pid:[4026531836]"; 0 and *out, or -EINVAL. */
int sair_pidns_parse(const char *link, size_t len, uint64_t *out);

#endif
