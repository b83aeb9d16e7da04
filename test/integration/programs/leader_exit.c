// The main thread calls pthread_exit while a worker thread lives on: the leader becomes a zombie (state Z,
// no cmdline, no exe of its own) yet the process is alive. Prints "ready" before the leader exits.
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 600; i++) sleep(1);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  printf("ready\n");
  fflush(stdout);
  pthread_exit(NULL);
}
