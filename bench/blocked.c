/* Blocked threads for the why-blocked benchmark (bench/waits.bench.ts): 50 threads that each wait for a party
 * that holds something, in four processes.
 *
 *   blocked SECONDS
 *
 *   wb-parent    forks the three below, keeps the far ends of the pipes and waits for its children (wait4)
 *   wb-mutex     5 holder threads each lock one pthread mutex and sleep; 25 waiter threads (5 per mutex) block
 *                in pthread_mutex_lock
 *   wb-pipes     12 threads read empty pipes and 11 threads write full pipes; only wb-parent holds the other
 *                ends, so it is the party that can wake each of them
 *   wb-deadlock  two threads take two mutexes in opposite order, with a barrier between the first and the
 *                second lock, so the deadlock is certain
 *
 * Output on stdout: "pid ROLE PID" for each process (from wb-parent), then "ready ROLE" from each child once
 * its threads are started (they block right after). Every process has a bounded life: the children die
 * with wb-parent (PR_SET_PDEATHSIG) and by alarm(SECONDS); wb-parent dies with the benchmark and by
 * alarm(SECONDS + 5), and on SIGTERM it kills and reaps exactly its children. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define HOLDERS 5
#define MUTEX_WAITERS 25
#define PIPE_READERS 12
#define PIPE_WRITERS 11
/* More than a pipe holds (16 pages by default), so each write blocks once the pipe is full. */
#define WRITE_BYTES (128 * 1024)

static volatile sig_atomic_t stopping;
static void on_term(int sig) { (void)sig; stopping = 1; }

/* One short write per line: lines from the four processes sharing stdout never interleave. */
static void say(const char *line) {
  size_t n = strlen(line);
  if (write(1, line, n) != (ssize_t)n) _exit(4);
}

static void say_pid(const char *role, long pid) {
  char line[64];
  snprintf(line, sizeof line, "pid %s %ld\n", role, pid);
  say(line);
}

static pthread_attr_t small_stack;

static void start(void *(*fn)(void *), void *arg) {
  pthread_t th;
  if (pthread_create(&th, &small_stack, fn, arg) != 0) _exit(3);
}

/* wb-mutex */
static pthread_mutex_t locks[HOLDERS];
static sem_t held;

static void *holder(void *p) {
  long i = (long)p;
  char name[16];
  snprintf(name, sizeof name, "holder-%ld", i);
  pthread_setname_np(pthread_self(), name);
  pthread_mutex_lock(&locks[i]);
  sem_post(&held);
  for (;;) pause();
  return NULL;
}

static void *mutex_waiter(void *p) {
  long i = (long)p;
  char name[16];
  snprintf(name, sizeof name, "waiter-%ld", i);
  pthread_setname_np(pthread_self(), name);
  pthread_mutex_lock(&locks[i % HOLDERS]); /* never returns: the holder sleeps with the lock */
  return NULL;
}

static void run_mutex(void) {
  sem_init(&held, 0, 0);
  for (long i = 0; i < HOLDERS; i++) {
    pthread_mutex_init(&locks[i], NULL);
    start(holder, (void *)i);
  }
  /* Every lock is held before anyone asks for one, so each waiter blocks on a held mutex. */
  for (int i = 0; i < HOLDERS; i++) while (sem_wait(&held) != 0 && errno == EINTR) {}
  for (long i = 0; i < MUTEX_WAITERS; i++) start(mutex_waiter, (void *)i);
  say("ready mutex\n");
}

/* wb-pipes */
static char payload[WRITE_BYTES];

static void *pipe_reader(void *p) {
  char c;
  pthread_setname_np(pthread_self(), "pipe-reader");
  while (read((int)(long)p, &c, 1) < 0 && errno == EINTR) {}
  return NULL;
}

static void *pipe_writer(void *p) {
  pthread_setname_np(pthread_self(), "pipe-writer");
  while (write((int)(long)p, payload, sizeof payload) < 0 && errno == EINTR) {}
  return NULL;
}

/* wb-deadlock */
static pthread_mutex_t dl_a = PTHREAD_MUTEX_INITIALIZER, dl_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *dl_side(void *p) {
  int left = p != NULL;
  pthread_setname_np(pthread_self(), left ? "dl-left" : "dl-right");
  pthread_mutex_lock(left ? &dl_a : &dl_b);
  pthread_barrier_wait(&both_hold_one);
  pthread_mutex_lock(left ? &dl_b : &dl_a); /* never returns */
  return NULL;
}

static void run_deadlock(void) {
  pthread_barrier_init(&both_hold_one, NULL, 2);
  start(dl_side, (void *)1);
  start(dl_side, NULL);
  say("ready deadlock\n");
}

static pid_t kids[3];
static int nkids;

/* Forks one child bound to wb-parent's life and named `comm`; returns 0 in the child, its pid in the parent. */
static pid_t child(const char *comm, pid_t parent, unsigned secs) {
  pid_t c = fork();
  if (c < 0) { perror("fork"); exit(1); }
  if (c > 0) { kids[nkids++] = c; return c; }
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);
  signal(SIGTERM, SIG_DFL);
  prctl(PR_SET_NAME, comm);
  alarm(secs);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: blocked SECONDS\n"); return 2; }
  unsigned secs = (unsigned)atoi(argv[1]);
  pid_t node = getppid();
  struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = on_term; sigaction(SIGTERM, &sa, NULL);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != node) return 1;
  prctl(PR_SET_NAME, "wb-parent");
  alarm(secs + 5);
  pthread_attr_init(&small_stack);
  pthread_attr_setstacksize(&small_stack, 65536);
  pid_t self = getpid();
  say_pid("parent", (long)self);

  /* The mutex and deadlock children are forked before any pipe exists, so they hold no pipe end. */
  pid_t c = child("wb-mutex", self, secs);
  if (c == 0) { run_mutex(); close(1); for (;;) pause(); }
  say_pid("mutex", (long)c);
  c = child("wb-deadlock", self, secs);
  if (c == 0) { run_deadlock(); close(1); for (;;) pause(); }
  say_pid("deadlock", (long)c);

  int rd[PIPE_READERS][2], wr[PIPE_WRITERS][2];
  for (int i = 0; i < PIPE_READERS; i++) if (pipe(rd[i]) != 0) { perror("pipe"); return 1; }
  for (int i = 0; i < PIPE_WRITERS; i++) if (pipe(wr[i]) != 0) { perror("pipe"); return 1; }
  c = child("wb-pipes", self, secs);
  if (c == 0) {
    /* Only wb-parent keeps the far ends: it is the one party that could wake each thread. */
    for (int i = 0; i < PIPE_READERS; i++) { close(rd[i][1]); start(pipe_reader, (void *)(long)rd[i][0]); }
    for (int i = 0; i < PIPE_WRITERS; i++) { close(wr[i][0]); start(pipe_writer, (void *)(long)wr[i][1]); }
    say("ready pipes\n");
    close(1);
    for (;;) pause();
  }
  say_pid("pipes", (long)c);
  for (int i = 0; i < PIPE_READERS; i++) close(rd[i][0]);
  for (int i = 0; i < PIPE_WRITERS; i++) close(wr[i][1]);

  while (!stopping) {
    pid_t w = waitpid(-1, NULL, 0);
    if (w < 0 && errno == ECHILD) return 0;
  }
  for (int i = 0; i < nkids; i++) kill(kids[i], SIGKILL);
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
  return 0;
}
