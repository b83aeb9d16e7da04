// A worker thread does thousands of short sleeps (each one a voluntary context switch) while the main thread
// waits once: the process's context switches are nearly all the worker's. Prints "ready" when the worker is
// done and both threads sleep for good, so the counts no longer move.
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int fds[2];

static void *worker(void *arg) {
  (void)arg;
  struct timespec ts = {0, 1000};
  for (int i = 0; i < 3000; i++) nanosleep(&ts, NULL);
  char c = 1;
  if (write(fds[1], &c, 1) != 1) return NULL;
  for (;;) pause();
  return NULL;
}

int main(void) {
  pthread_t t;
  char c;
  if (pipe(fds) != 0) return 1;
  pthread_create(&t, NULL, worker, NULL);
  if (read(fds[0], &c, 1) != 1) return 1;
  printf("ready\n");
  fflush(stdout);
  for (;;) pause();
}
