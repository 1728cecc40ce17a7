// bench_client: the "limit" client of bench/run. Plain C, blocking sockets, no event loop:
// the real spec §4.1 OPTIONS/Upgrade handshake against the reference server, then the same
// exchange as the bench pages (bench/pages/workloads.js). Prints one JSON line per run.
//
//   bench_client pingpong HOST PORT SECONDS SIZE     round trips of one SIZE-byte frame on /echo
//   bench_client stream HOST PORT SECONDS SIZE       bytes of /push frames of SIZE bytes received
//   bench_client setup HOST PORT SECONDS CONCURRENCY open + handshake + close on /echo
//   bench_client scale HOST PORTS COUNT              COUNT idle connections to /echo
//   bench_client many HOST PORT SECONDS SIZE COUNT   COUNT connections doing ping-pong at once
//                                                    (non-blocking sockets and epoll)
//
// PORT may be a comma-separated list for scale (connection i goes to port i mod n: one
// address:port leaves ~28,000 ephemeral ports). pingpong, many: ?rtt=TAG after SIZE asks
// /echo to keep round-trip times (RTT-STATS). Around the measured phase of pingpong and many it
// prints "BENCH-MARK cpu-start" / "BENCH-MARK cpu-end" and pauses 250 ms, idle, so bench/run
// can read this process's CPU time from /proc at each.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kStx = 0x02, kEtb = 0x17 };

static const char* g_host;
static int g_port;
static int g_ports[256];
static int g_port_count;

// Tells bench/run to sample this process's CPU time, and stays idle while it does.
static void Mark(const char* name) {
  printf("BENCH-MARK %s\n", name);
  fflush(stdout);
  struct timespec pause = {0, 250 * 1000 * 1000};
  nanosleep(&pause, NULL);
}

static double Now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void Die(const char* what) {
  fprintf(stderr, "bench_client: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void WriteAll(int fd, const char* bytes, size_t size) {
  while (size > 0) {
    ssize_t written = write(fd, bytes, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      Die("write");
    }
    bytes += written;
    size -= (size_t)written;
  }
}

static int Connect(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) Die("socket");
  struct sockaddr_in address;
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_port = htons((unsigned short)g_port);
  if (inet_pton(AF_INET, g_host, &address.sin_addr) != 1) {
    fprintf(stderr, "bench_client: %s is not an IPv4 address\n", g_host);
    exit(2);
  }
  if (connect(fd, (struct sockaddr*)&address, sizeof address) != 0) Die("connect");
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void SendRequest(int fd, const char* path) {
  char request[2048];
  int size = snprintf(request, sizeof request,
                      "OPTIONS %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: TCPConnection/1.0\r\n"
                      "Connection: Upgrade\r\nOrigin: http://%s:%d\r\n\r\n",
                      path, g_host, g_port, g_host, g_port);
  WriteAll(fd, request, (size_t)size);
}

// Reads the 101 header block (spec §4.2, only the status line checked); bytes after it are
// copied to `leftover` (at most `capacity`), their count returned.
static size_t ReadResponse(int fd, char* leftover, size_t capacity) {
  char head[16384];
  size_t have = 0;
  for (;;) {
    ssize_t got = read(fd, head + have, sizeof head - have);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) Die("read (handshake)");
    have += (size_t)got;
    char* end = memmem(head, have, "\r\n\r\n", 4);
    if (end == NULL) {
      if (have == sizeof head) Die("header block too large");
      continue;
    }
    if (have < 12 || memcmp(head, "HTTP/1.1 101", 12) != 0) {
      fprintf(stderr, "bench_client: not a 101: %.40s\n", head);
      exit(1);
    }
    size_t header_bytes = (size_t)(end + 4 - head);
    size_t extra = have - header_bytes;
    if (extra > capacity) extra = capacity;
    memcpy(leftover, end + 4, extra);
    return extra;
  }
}

static int Open(const char* path) {
  int fd = Connect();
  SendRequest(fd, path);
  char leftover[1];
  ReadResponse(fd, leftover, 0);
  return fd;
}

// §6: one frame out, wait for the whole echo, next frame.
static void PingPong(double seconds, size_t size, const char* path) {
  int fd = Open(path);
  char* frame = malloc(size + 2);
  frame[0] = kStx;
  memset(frame + 1, 'x', size);
  frame[size + 1] = kEtb;
  char buffer[65536];
  long long round_trips = 0;
  Mark("cpu-start");
  double start = Now(), elapsed = 0;
  do {
    for (int batch = 0; batch < 64; ++batch) {
      WriteAll(fd, frame, size + 2);
      for (;;) {
        ssize_t got = read(fd, buffer, sizeof buffer);
        if (got <= 0) Die("read");
        if (buffer[got - 1] == kEtb) break;
      }
      ++round_trips;
    }
    elapsed = Now() - start;
  } while (elapsed < seconds);
  Mark("cpu-end");
  close(fd);
  printf("{\"round_trips\":%lld,\"seconds\":%.6f,\"value\":%.1f}\n", round_trips, elapsed,
         (double)round_trips / elapsed);
  free(frame);
}

// Counts the payload bytes of the frames /push sends, as fast as it sends them.
static void Stream(double seconds, size_t size) {
  char path[256];
  snprintf(path, sizeof path, "/push?count=100000000&size=%zu&close=0", size);
  int fd = Connect();
  SendRequest(fd, path);
  static char buffer[1 << 18];
  size_t have = ReadResponse(fd, buffer, sizeof buffer);
  long long frames = 0, payload_bytes = 0, frame_bytes = 0;
  double start = Now(), elapsed = 0;
  for (;;) {
    for (size_t index = 0; index < have; ++index) {
      // Scan the whole buffer for 0x17, as a framer must.
      const char* end = memchr(buffer + index, kEtb, have - index);
      if (end == NULL) {
        frame_bytes += (long long)(have - index);
        break;
      }
      frame_bytes += end - (buffer + index);
      payload_bytes += frame_bytes - 1;  // without the 0x02
      frame_bytes = 0;
      ++frames;
      index = (size_t)(end - buffer);
    }
    elapsed = Now() - start;
    if (elapsed >= seconds) break;
    ssize_t got = read(fd, buffer, sizeof buffer);
    if (got <= 0) Die("read");
    have = (size_t)got;
  }
  close(fd);
  printf("{\"frames\":%lld,\"bytes\":%lld,\"seconds\":%.6f,\"value\":%.2f}\n", frames,
         payload_bytes, elapsed, (double)payload_bytes / elapsed / 1e6);
}

// Connections/s: open, handshake, close; `concurrency` sockets at a time.
static void SetUp(double seconds, int concurrency) {
  int* fds = calloc((size_t)concurrency, sizeof(int));
  long long connections = 0;
  double start = Now(), elapsed = 0;
  do {
    for (int index = 0; index < concurrency; ++index) {
      fds[index] = Connect();
      SendRequest(fds[index], "/echo");
    }
    char leftover[1];
    for (int index = 0; index < concurrency; ++index) {
      ReadResponse(fds[index], leftover, 0);
      close(fds[index]);
    }
    connections += concurrency;
    elapsed = Now() - start;
  } while (elapsed < seconds);
  printf("{\"connections\":%lld,\"seconds\":%.6f,\"value\":%.1f}\n", connections, elapsed,
         (double)connections / elapsed);
  free(fds);
}

static long RssKiB(void) {
  FILE* status = fopen("/proc/self/status", "r");
  char line[256];
  long rss = 0;
  while (status && fgets(line, sizeof line, status)) {
    if (strncmp(line, "VmRSS:", 6) == 0) rss = strtol(line + 6, NULL, 10);
  }
  if (status) fclose(status);
  return rss;
}

static void Scale(int count) {
  int* fds = calloc((size_t)count, sizeof(int));
  fds[0] = Open("/echo");
  long before = RssKiB();
  double start = Now();
  for (int index = 1; index < count; ++index) {
    g_port = g_ports[index % g_port_count];
    fds[index] = Open("/echo");
  }
  double elapsed = Now() - start;
  long after = RssKiB();
  for (int index = 0; index < count; ++index) close(fds[index]);
  printf(
      "{\"connections\":%d,\"seconds\":%.6f,\"rss_before_kib\":%ld,\"rss_after_kib\":%ld,"
      "\"value\":%.3f}\n",
      count, elapsed, before, after, (double)(after - before) / (count - 1));
  free(fds);
}

// COUNT connections (opened one by one with the blocking handshake, then made non-blocking),
// each sending its next SIZE-byte frame when it has read the echo of the last, for SECONDS.
static void Many(double seconds, size_t size, int count, const char* path) {
  int* fds = calloc((size_t)count, sizeof(int));
  int epoll = epoll_create1(0);
  if (epoll < 0) Die("epoll_create1");
  for (int index = 0; index < count; ++index) {
    fds[index] = Open(path);
    fcntl(fds[index], F_SETFL, fcntl(fds[index], F_GETFL) | O_NONBLOCK);
    struct epoll_event event = {.events = EPOLLIN, .data = {.u32 = (unsigned)index}};
    if (epoll_ctl(epoll, EPOLL_CTL_ADD, fds[index], &event) != 0) Die("epoll_ctl");
  }
  char* frame = malloc(size + 2);
  frame[0] = kStx;
  memset(frame + 1, 'x', size);
  frame[size + 1] = kEtb;
  static char buffer[65536];
  struct epoll_event events[256];
  long long round_trips = 0;
  Mark("cpu-start");
  double start = Now(), elapsed = 0;
  // A frame this small always fits the idle socket's buffer: a short write would be a bug.
  for (int index = 0; index < count; ++index) {
    if (write(fds[index], frame, size + 2) != (ssize_t)(size + 2)) Die("write");
  }
  long long next_check = 64;
  for (;;) {
    int ready = epoll_wait(epoll, events, 256, 1000);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) Die("epoll_wait");
    for (int event = 0; event < ready; ++event) {
      int fd = fds[events[event].data.u32];
      ssize_t got = read(fd, buffer, sizeof buffer);
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (got <= 0) Die("read");
      // One frame in flight per connection: its 0x17 completes the round trip.
      if (buffer[got - 1] != kEtb) continue;
      ++round_trips;
      if (write(fd, frame, size + 2) != (ssize_t)(size + 2)) Die("write");
    }
    if (round_trips >= next_check || ready == 0) {
      next_check = round_trips + 64;
      elapsed = Now() - start;
      if (elapsed >= seconds) break;
    }
  }
  Mark("cpu-end");
  for (int index = 0; index < count; ++index) close(fds[index]);
  close(epoll);
  printf("{\"connections\":%d,\"round_trips\":%lld,\"seconds\":%.6f,\"value\":%.1f}\n", count,
         round_trips, elapsed, (double)round_trips / elapsed);
  free(frame);
  free(fds);
}

// "P1,P2,..." into g_ports; g_port is the first.
static void ParsePorts(const char* text) {
  g_port_count = 0;
  for (const char* part = text; part != NULL && g_port_count < 256;) {
    g_ports[g_port_count++] = atoi(part);
    part = strchr(part, ',');
    if (part != NULL) ++part;
  }
  g_port = g_ports[0];
}

// "/echo", or "/echo?rtt=TAG" when TAG is given.
static const char* EchoPath(int argc, char** argv, int index) {
  static char path[512];
  if (index >= argc) return "/echo";
  snprintf(path, sizeof path, "/echo?rtt=%s", argv[index]);
  return path;
}

int main(int argc, char** argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: bench_client pingpong|stream|setup|scale|many HOST PORT ARGS...\n");
    return 2;
  }
  g_host = argv[2];
  ParsePorts(argv[3]);
  if (strcmp(argv[1], "pingpong") == 0 && (argc == 6 || argc == 7)) {
    PingPong(atof(argv[4]), (size_t)atol(argv[5]), EchoPath(argc, argv, 6));
  } else if (strcmp(argv[1], "many") == 0 && (argc == 7 || argc == 8)) {
    Many(atof(argv[4]), (size_t)atol(argv[5]), atoi(argv[6]), EchoPath(argc, argv, 7));
  } else if (strcmp(argv[1], "stream") == 0 && argc == 6) {
    Stream(atof(argv[4]), (size_t)atol(argv[5]));
  } else if (strcmp(argv[1], "setup") == 0 && argc == 6) {
    SetUp(atof(argv[4]), atoi(argv[5]));
  } else if (strcmp(argv[1], "scale") == 0 && argc == 5) {
    Scale(atoi(argv[4]));
  } else {
    fprintf(stderr, "bench_client: bad arguments\n");
    return 2;
  }
  return 0;
}
