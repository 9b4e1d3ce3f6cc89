/*
 * containode's entry, before the .NET runtime starts. `containode serve`, and the verbs against a remote node (a
 * first option --host/-H or --tls-*, or CONTAINODE_HOST with a verb the remote client has), are other programs':
 * containode-serve and containode-remote, beside containode's own folder as mocker is, so that ASP.NET Core and gRPC
 * never weigh on containode's size or start. Exec'd from here, they cost no runtime start of containode's own
 * (a third of a remote `ps` before it; bench/remote.sh). Everything else is the managed Main's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int __managed__Main(int argc, char **argv);

/* Keep in step with RemoteHandOff.ServerGen0Variable, which the server takes out of its children's environment. A
   small gen0 keeps the server's peak RSS with many followers down; a caller's own value stands. */
#define SERVER_GEN0_VARIABLE "DOTNET_GCgen0size"
#define SERVER_GEN0_SIZE "0x200000"

static const char *const remote_verbs[] = { "run", "ps", "logs", "inspect", "stop", "kill", "rm", "stats" };

static int starts_with(const char *text, const char *prefix) { return strncmp(text, prefix, strlen(prefix)) == 0; }

static int remote_wanted(const char *first)
{
    if (strcmp(first, "-H") == 0 || starts_with(first, "--host") || starts_with(first, "--tls-")) return 1;
    const char *host = getenv("CONTAINODE_HOST");
    if (host == NULL || host[0] == '\0') return 0;
    for (size_t i = 0; i < sizeof remote_verbs / sizeof remote_verbs[0]; i++)
        if (strcmp(first, remote_verbs[i]) == 0) return 1;
    return 0;
}

static int hand_off(const char *program, char **argv)
{
    char self[PATH_MAX], path[PATH_MAX + 2 * NAME_MAX];
    if (realpath("/proc/self/exe", self) == NULL) {
        fprintf(stderr, "containode: cannot find its own executable (/proc/self/exe): %s\n", strerror(errno));
        return 1;
    }
    /* containode is DIR/containode/containode, installed (lib/containet) as built (out): the other is DIR/P/P. */
    snprintf(path, sizeof path, "%s/%s/%s", dirname(dirname(self)), program, program);
    argv[0] = path;
    execv(path, argv);
    if (errno == ENOENT)
        fprintf(stderr, "containode: %s is missing: containode serve and remote nodes need it installed beside containode (make install)\n", path);
    else
        fprintf(stderr, "containode: cannot run %s: %s\n", path, strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    /* A detached container's monitor (containode __monitor ID, which ctn_spawn_session starts and reaps at once)
       leaves the process that started it: that one, a job server say, is then nobody's parent for the container's
       life and collects no zombie when it ends. Before the runtime starts this process has one thread, so fork is
       safe here. A failure goes on the report pipe (fd 3), as the monitor's own do. */
    if (argc > 1 && strcmp(argv[1], "__monitor") == 0) {
        pid_t monitor = fork();
        if (monitor < 0) {
            dprintf(3, "1 cannot start the monitor: fork: %s", strerror(errno));
            return 1;
        }
        if (monitor > 0) _exit(0);
    }
    if (argc > 1 && strcmp(argv[1], "serve") == 0) {
        if (getenv(SERVER_GEN0_VARIABLE) == NULL) setenv(SERVER_GEN0_VARIABLE, SERVER_GEN0_SIZE, 1);
        return hand_off("containode-serve", argv);
    }
    if (argc > 1 && remote_wanted(argv[1])) return hand_off("containode-remote", argv);
    return __managed__Main(argc, argv);
}
