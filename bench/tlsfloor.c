// The limit of a TLS 1.3 sender on this machine, for bench/remote.sh: one thread with epoll sends N bytes of
// 100-byte lines to each of C client processes over 127.0.0.1 (OpenSSL, TLS_AES_128_GCM_SHA256, the node's
// certificate), which read and drop them. Prints the aggregate rate and the CPU each side spent per GB.
// Usage: tlsfloor CLIENTS BYTES CERT KEY
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void client(const struct sockaddr_in *server, long bytes) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256");
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(s, (const void *)server, sizeof *server)) _exit(2);
  SSL *ssl = SSL_new(ctx);
  SSL_set_fd(ssl, s);
  if (SSL_connect(ssl) != 1) _exit(3);
  static char buffer[1 << 16];
  long got = 0;
  int n;
  while (got < bytes && (n = SSL_read(ssl, buffer, sizeof buffer)) > 0) got += n;
  _exit(got == bytes ? 0 : 1);
}

int main(int argc, char **argv) {
  if (argc != 5) { fprintf(stderr, "usage: tlsfloor CLIENTS BYTES CERT KEY\n"); return 2; }
  int clients = atoi(argv[1]);
  long bytes = atol(argv[2]);
  if (clients < 1 || clients > 1000 || bytes < 1) { fprintf(stderr, "tlsfloor: 1 to 1000 clients, at least 1 byte\n"); return 2; }
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t length = sizeof address;
  if (bind(listener, (void *)&address, length) || listen(listener, clients) || getsockname(listener, (void *)&address, &length)) { perror("tlsfloor"); return 1; }
  for (int i = 0; i < clients; i++) if (fork() == 0) client(&address, bytes);

  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  if (SSL_CTX_use_certificate_file(ctx, argv[3], SSL_FILETYPE_PEM) != 1 || SSL_CTX_use_PrivateKey_file(ctx, argv[4], SSL_FILETYPE_PEM) != 1) { fprintf(stderr, "tlsfloor: cannot load %s or %s\n", argv[3], argv[4]); return 1; }
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL **ssl = calloc((size_t)clients, sizeof *ssl);
  long *sent = calloc((size_t)clients, sizeof *sent);
  int poll = epoll_create1(0);
  for (int i = 0; i < clients; i++) {
    int s = accept(listener, 0, 0);
    ssl[i] = SSL_new(ctx);
    SSL_set_fd(ssl[i], s);
    if (SSL_accept(ssl[i]) != 1) { fprintf(stderr, "tlsfloor: handshake failed\n"); return 1; }
    fcntl(s, F_SETFL, O_NONBLOCK);
    struct epoll_event event = {.events = EPOLLOUT | EPOLLET, .data.u32 = (unsigned)i};
    epoll_ctl(poll, EPOLL_CTL_ADD, s, &event);
  }
  static char lines[1 << 16];
  for (int i = 0; i < (int)sizeof lines; i++) lines[i] = i % 100 == 99 ? '\n' : 'x';
  struct tms before, after;
  times(&before);
  double start = now();
  int left = clients;
  struct epoll_event events[256];
  while (left > 0) {
    int ready = epoll_wait(poll, events, 256, 60000);
    if (ready <= 0) { fprintf(stderr, "tlsfloor: no progress in 60 s\n"); return 1; }
    for (int j = 0; j < ready; j++) {
      int i = (int)events[j].data.u32;
      while (sent[i] < bytes) {
        long n = bytes - sent[i] < (long)sizeof lines ? bytes - sent[i] : (long)sizeof lines;
        int written = SSL_write(ssl[i], lines, (int)n);
        if (written <= 0) break;
        sent[i] += written;
        if (sent[i] == bytes) left--;
      }
    }
  }
  int status, failed = 0;
  while (wait(&status) > 0) failed += status != 0;
  times(&after);
  double gb = (double)clients * bytes / 1e9, hz = (double)sysconf(_SC_CLK_TCK);
  printf("| %d | %.0f | %.2f | %.2f | %d |\n", clients, gb * 1e3 / (now() - start),
         (after.tms_utime + after.tms_stime - before.tms_utime - before.tms_stime) / hz / gb,
         (after.tms_cutime + after.tms_cstime - before.tms_cutime - before.tms_cstime) / hz / gb, failed);
  return failed ? 1 : 0;
}
