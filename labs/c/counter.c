/* Helper for the counter lab (built with the system's cc when present).
 *
 *   counter MODE SECONDS    four threads add 1 to one shared counter ITERS times each, MODE being
 *       nolock   a plain read, add, write: two threads may read the same value and one update is lost;
 *       mutex    the same three steps inside a pthread mutex (the critical section); now and then a thread
 *                keeps the mutex a while, so the others are seen waiting for it;
 *       cas      a compare-and-swap loop: the new value is written only if the counter still holds the
 *                value the thread read, else the thread reads again and retries (no lock at all).
 *
 * The process is named ctr-MODE and its threads MODE-1 ... MODE-4. When all four have finished, the
 * process renames itself after the result (MODE-exact, or MODE-short when updates were lost) and it and
 * its threads stay, asleep, so the result and the thread group can be looked at; it ends by itself after
 * SECONDS (alarm(): SIGALRM's default action terminates it), so it never outlives the lab.
 *
 * Machine lines on stdout, which the lab turns into sentences in the learner's language:
 *   thread NAME TID             a thread started
 *   count MODE VALUE EXPECTED   the final counter and what it should be */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 4
#define ITERS 10000000L
/* Mutex mode: every HOLD_EVERY rounds a thread keeps the mutex HOLD_US, long enough for ProcScope's
 * next look to find the other threads waiting for it (and to name the holder). */
#define HOLD_EVERY 2000000L
#define HOLD_US 250000

/* volatile: each += is a real load, add and store, whatever the optimisation level. */
static volatile long counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start_line, finish_line;
static const char *mode;

static void *run(void *p) {
  int index = (int)(long)p;
  char name[32], line[64];
  snprintf(name, sizeof name, "%.8s-%d", mode, index + 1);
  pthread_setname_np(pthread_self(), name);
  snprintf(line, sizeof line, "thread %s %ld\n", name, (long)syscall(SYS_gettid));
  pthread_mutex_lock(&out_lock);
  fputs(line, stdout);
  fflush(stdout);
  pthread_mutex_unlock(&out_lock);
  pthread_barrier_wait(&start_line); /* all four start together: the race is real, not one after another */
  for (long i = 1; i <= ITERS; i++) {
    if (strcmp(mode, "mutex") == 0) {
      pthread_mutex_lock(&counter_lock);
      counter = counter + 1;
      if (i % HOLD_EVERY == 0) usleep(HOLD_US);
      pthread_mutex_unlock(&counter_lock);
    } else if (strcmp(mode, "cas") == 0) {
      long seen = counter;
      while (!__atomic_compare_exchange_n(&counter, &seen, seen + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        /* another thread changed it in between: `seen` now holds the current value; try again */
      }
    } else {
      counter = counter + 1;
    }
  }
  pthread_barrier_wait(&finish_line);
  for (;;) pause(); /* stay in the thread group until the process ends */
  return NULL;
}

int main(int argc, char **argv) {
  mode = argc > 1 ? argv[1] : "nolock";
  if (strcmp(mode, "nolock") != 0 && strcmp(mode, "mutex") != 0 && strcmp(mode, "cas") != 0) {
    fprintf(stderr, "usage: counter nolock|mutex|cas SECONDS\n");
    return 2;
  }
  int seconds = argc > 2 ? atoi(argv[2]) : 60;
  if (seconds <= 0) seconds = 60;
  alarm((unsigned)seconds);
#ifdef PR_SET_PTRACER
  /* Where Yama's ptrace_scope is 1, only a process's ancestors may read its syscall file and memory, and
   * ProcScope (VS Code's extension host) is not an ancestor of a program run in a terminal. This short-lived
   * lab program lets any process of the same user read it, so ProcScope can name the mutex's holder. */
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
#endif
  char name[16];
  snprintf(name, sizeof name, "ctr-%.8s", mode);
  prctl(PR_SET_NAME, name, 0, 0, 0);
  pthread_barrier_init(&start_line, NULL, THREADS);
  pthread_barrier_init(&finish_line, NULL, THREADS + 1);
  pthread_t threads[THREADS];
  for (long i = 0; i < THREADS; i++) {
    if (pthread_create(&threads[i], NULL, run, (void *)i) != 0) {
      perror("pthread_create");
      return 2;
    }
  }
  pthread_barrier_wait(&finish_line);
  long expected = THREADS * ITERS;
  snprintf(name, sizeof name, "%.8s-%s", mode, counter == expected ? "exact" : counter < expected ? "short" : "over");
  prctl(PR_SET_NAME, name, 0, 0, 0);
  printf("count %s %ld %ld\n", mode, (long)counter, expected);
  fflush(stdout);
  for (;;) pause();
}
