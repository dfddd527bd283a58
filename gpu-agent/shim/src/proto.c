#include "proto.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t trim_eol(const char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    return len;
}

static int word_is(const char *p, size_t n, const char *word)
{
    return n == strlen(word) && memcmp(p, word, n) == 0;
}

int sair_proto_parse_rate(const char *s, size_t len, double *out)
{
    char buf[32];
    char *end = NULL;

    if (len == 0 || len >= sizeof(buf))
        return -EINVAL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    /* strtod would accept "inf", "nan", hex floats and leading blanks: allow plain decimals only. */
    for (size_t i = 0; i < len; i++)
        if (!((buf[i] >= '0' && buf[i] <= '9') || buf[i] == '.' || buf[i] == 'e' || buf[i] == 'E' ||
              buf[i] == '-' || buf[i] == '+'))
            return -EINVAL;
    errno = 0;
    double v = strtod(buf, &end);
    if (errno != 0 || end != buf + len || !isfinite(v))
        return -EINVAL;
    /* A hair of tolerance so "0.1" typed as 0.09999999999 by a client still counts. */
    if (v < SAIR_RATE_MIN - 1e-9 || v > SAIR_RATE_MAX + 1e-9)
        return -ERANGE;
    *out = v < SAIR_RATE_MIN ? SAIR_RATE_MIN : (v > SAIR_RATE_MAX ? SAIR_RATE_MAX : v);
    return 0;
}

int sair_proto_parse(const char *line, size_t len, struct sair_msg *out, const char **reason)
{
    static const size_t magic_len = sizeof(SAIR_PROTO_MAGIC) - 1;
    const char *p, *verb, *arg;
    size_t rest, verb_len, arg_len;

    len = trim_eol(line, len);
    if (len < magic_len || memcmp(line, SAIR_PROTO_MAGIC, magic_len) != 0 ||
        (len > magic_len && line[magic_len] != ' ')) {
        *reason = (len >= 5 && memcmp(line, "SAIR/", 5) == 0) ? "unsupported protocol version"
                                                               : "missing SAIR/1 magic";
        return -EPROTO;
    }
    p = line + magic_len;
    rest = len - magic_len;
    while (rest > 0 && *p == ' ') {
        p++;
        rest--;
    }
    verb = p;
    while (rest > 0 && *p != ' ') {
        p++;
        rest--;
    }
    verb_len = (size_t)(p - verb);
    while (rest > 0 && *p == ' ') {
        p++;
        rest--;
    }
    arg = p;
    arg_len = rest;
    while (arg_len > 0 && arg[arg_len - 1] == ' ')
        arg_len--;

    if (word_is(verb, verb_len, "STATS")) {
        if (arg_len != 0) {
            *reason = "STATS takes no argument";
            return -EINVAL;
        }
        out->type = SAIR_MSG_STATS;
        out->rate = 0;
        return 0;
    }
    if (word_is(verb, verb_len, "RATE")) {
        double v;
        int rc = sair_proto_parse_rate(arg, arg_len, &v);
        if (rc == -ERANGE) {
            *reason = "rate outside [0.1, 1]";
            return rc;
        }
        if (rc < 0) {
            *reason = "RATE needs a decimal number";
            return rc;
        }
        out->type = SAIR_MSG_RATE;
        out->rate = v;
        return 0;
    }
    *reason = verb_len == 0 ? "empty request" : "unknown verb";
    return -EINVAL;
}

static int finish(int n, size_t cap)
{
    return (n < 0 || (size_t)n >= cap) ? -ENOSPC : n;
}

int sair_proto_format_ok_rate(char *buf, size_t cap, double rate)
{
    return finish(snprintf(buf, cap, SAIR_PROTO_MAGIC " OK rate=%.6g\n", rate), cap);
}

int sair_proto_format_stats(char *buf, size_t cap, const struct sair_stats *s)
{
    return finish(snprintf(buf, cap,
                           SAIR_PROTO_MAGIC " OK rate=%.6g launches=%llu blocks=%llu throttled_ns=%llu"
                                            " pid=%d workload=%s\n",
                           s->rate, (unsigned long long)s->launches, (unsigned long long)s->blocks,
                           (unsigned long long)s->throttled_ns, s->pid,
                           (s->workload && s->workload[0]) ? s->workload : "-"),
                  cap);
}

int sair_proto_format_err(char *buf, size_t cap, const char *reason)
{
    return finish(snprintf(buf, cap, SAIR_PROTO_MAGIC " ERR %s\n", reason), cap);
}

int sair_socket_name(char *buf, size_t cap, uint64_t pidns, int pid)
{
    return finish(snprintf(buf, cap, "%llu-%d.sock", (unsigned long long)pidns, pid), cap);
}

int sair_pidns_parse(const char *link, size_t len, uint64_t *out)
{
    static const char prefix[] = "pid:[";
    const size_t plen = sizeof(prefix) - 1;
    uint64_t v = 0;
    size_t i;

    if (len < plen + 2 || memcmp(link, prefix, plen) != 0 || link[len - 1] != ']')
        return -EINVAL;
    for (i = plen; i < len - 1; i++) {
        if (link[i] < '0' || link[i] > '9' || v > (UINT64_MAX - 9) / 10)
            return -EINVAL;
        v = v * 10 + (uint64_t)(link[i] - '0');
    }
    *out = v;
    return 0;
}
