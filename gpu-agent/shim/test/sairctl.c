/* sairctl SOCKET 'SAIR/1 STATS' : sends one request line to a shim and prints the reply. */
#include "ctl_client.h"

int main(int argc, char **argv)
{
    char line[512], reply[512];

    if (argc != 3) {
        fprintf(stderr, "usage: %s SOCKET 'SAIR/1 STATS'\n", argv[0]);
        return 2;
    }
    snprintf(line, sizeof(line), "%s\n", argv[2]);
    int rc = ctl_request(argv[1], line, reply, sizeof(reply));
    if (rc < 0) {
        fprintf(stderr, "%s: %s\n", argv[1], strerror(-rc));
        return 1;
    }
    printf("%s\n", reply);
    return strncmp(reply, "SAIR/1 OK", 9) == 0 ? 0 : 1;
}
