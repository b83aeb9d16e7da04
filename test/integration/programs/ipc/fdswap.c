// Changes its own fd table on command, one line of stdin at a time, and answers "ok" on stdout: the same fd
// numbers are reused for other objects (dup2 onto an open fd replaces it without changing the fd count).
// With "thread" as its argument a second thread reads the commands and makes every change while the main
// thread (the leader) sleeps in pause(): the case the IPC scan's change signal cannot see.
//   pipe A B | sock A B | fifo A PATH | shm A NAME | eventfd A | move A B | close A
//   | map A | unmap | remap A | quit
// (move: fd A becomes fd B, A closed: the same count, another number. map: one shared page of fd A's file,
// grown to a page; unmap: the newest mapping goes; remap: the newest mapping is swapped for a page of fd A's
// file, so the process's size stays the same.)
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(int fd, int at) {
  if (fd < 0) { perror("fdswap"); exit(1); }
  if (fd != at) { if (dup2(fd, at) < 0) { perror("dup2"); exit(1); } close(fd); }
}

#define PAGE 4096
static void *maps[64];
static int nmaps;

static void *map_page(int fd) {
  if (ftruncate(fd, PAGE) < 0) { perror("ftruncate"); exit(1); }
  void *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) { perror("mmap"); exit(1); }
  return m;
}

static void *commands(void *arg) {
  (void)arg;
  char line[512];
  while (fgets(line, sizeof line, stdin)) {
    char what[32] = "", path[400] = "";
    int a = -1, b = -1;
    int n = sscanf(line, "%31s %d %399s", what, &a, path);
    if (n >= 3) b = atoi(path);
    int p[2];
    if (!strcmp(what, "pipe")) { if (pipe(p)) exit(1); put(p[0], a); put(p[1], b); }
    else if (!strcmp(what, "sock")) { if (socketpair(AF_UNIX, SOCK_STREAM, 0, p)) exit(1); put(p[0], a); put(p[1], b); }
    else if (!strcmp(what, "fifo")) { mkfifo(path, 0600); put(open(path, O_RDWR), a); }
    else if (!strcmp(what, "shm")) { put(shm_open(path, O_RDWR | O_CREAT, 0600), a); }
    else if (!strcmp(what, "eventfd")) { put(eventfd(0, 0), a); }
    else if (!strcmp(what, "move")) { if (dup2(a, b) < 0) exit(1); close(a); }
    else if (!strcmp(what, "close")) { close(a); }
    else if (!strcmp(what, "map") && nmaps < 64) { maps[nmaps++] = map_page(a); }
    else if (!strcmp(what, "unmap") && nmaps > 0) { munmap(maps[--nmaps], PAGE); }
    else if (!strcmp(what, "remap") && nmaps > 0) { munmap(maps[nmaps - 1], PAGE); maps[nmaps - 1] = map_page(a); }
    else if (!strcmp(what, "quit")) exit(0);
    printf("ok\n");
    fflush(stdout);
  }
  exit(0);
}

int main(int argc, char **argv) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  alarm(120);
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1 && !strcmp(argv[1], "thread")) {
    pthread_t t;
    if (pthread_create(&t, NULL, commands, NULL)) return 1;
    printf("ready\n");
    for (;;) pause();
  }
  printf("ready\n");
  commands(NULL);
  return 0;
}
