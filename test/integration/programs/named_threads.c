/* Test program: a process whose threads carry names (pthread_setname_np), then sleep until killed.
 * Usage: named_threads NAME... ; prints "ready <tid>..." once every thread has named itself. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_barrier_t barrier;
static pid_t tids[16];

struct arg { const char *name; int index; };

static void *worker(void *p) {
  struct arg *a = p;
  pthread_setname_np(pthread_self(), a->name);
  tids[a->index] = (pid_t)syscall(SYS_gettid);
  pthread_barrier_wait(&barrier);
  for (;;) pause();
  return NULL;
}

int main(int argc, char **argv) {
  int n = argc - 1;
  if (n > 15) n = 15;
  pthread_barrier_init(&barrier, NULL, (unsigned)n + 1);
  struct arg args[16];
  pthread_t threads[16];
  for (int i = 0; i < n; i++) {
    args[i].name = argv[i + 1];
    args[i].index = i;
    pthread_create(&threads[i], NULL, worker, &args[i]);
  }
  pthread_barrier_wait(&barrier);
  printf("ready");
  for (int i = 0; i < n; i++) printf(" %d", tids[i]);
  printf("\n");
  fflush(stdout);
  alarm(120); /* bounded lifetime even if the test dies */
  for (;;) pause();
}
