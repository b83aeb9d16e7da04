/* Helper for the deadlock lab (built with the system's cc when present).
 *
 *   deadlock SECONDS            two threads, dl-left and dl-right, each take one of two mutexes and then ask
 *                               for the other one: dl-left takes A then B, dl-right takes B then A. A barrier
 *                               between the first and the second lock makes the deadlock certain (not a
 *                               matter of timing): both hold one lock before either asks for the other.
 *   deadlock --ordered SECONDS  the same two threads take the locks in one order, A before B, a few rounds
 *                               each, and the process exits with status 0.
 *
 * Either way the process ends by itself after SECONDS: alarm() delivers SIGALRM, whose default action
 * terminates it, so a deadlocked helper never outlives the lab even if nobody kills it.
 *
 * What it does is printed on stdout as short machine lines, which the lab turns into sentences in the
 * learner's language:
 *   thread NAME TID     a thread started (NAME is left or right)
 *   hold NAME LOCK      NAME now holds LOCK (A or B)
 *   want NAME LOCK      NAME asks for LOCK (and blocks if the other thread holds it)
 *   release NAME        NAME released both locks
 *   done NAME           NAME finished its rounds (ordered mode) */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ROUNDS 3
/* How long each thread holds its locks in the ordered mode: long enough to be seen in ProcScope's panel. */
#define HOLD_US 400000

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;
static int ordered;

struct side {
  const char *name;        /* left or right */
  const char *thread_name; /* dl-left or dl-right */
  pthread_mutex_t *first, *second;
  const char *first_name, *second_name;
};

static void say(const char *fmt, const char *name, const char *arg) {
  pthread_mutex_lock(&out_lock);
  printf(fmt, name, arg);
  fflush(stdout);
  pthread_mutex_unlock(&out_lock);
}

static void *run(void *p) {
  struct side *s = p;
  char tid[32];
  pthread_setname_np(pthread_self(), s->thread_name);
  snprintf(tid, sizeof tid, "%ld", (long)syscall(SYS_gettid));
  say("thread %s %s\n", s->name, tid);
  for (int round = 0; round < (ordered ? ROUNDS : 1); round++) {
    say("want %s %s\n", s->name, s->first_name);
    pthread_mutex_lock(s->first);
    say("hold %s %s\n", s->name, s->first_name);
    if (ordered) usleep(HOLD_US);
    else pthread_barrier_wait(&both_hold_one);
    say("want %s %s\n", s->name, s->second_name);
    pthread_mutex_lock(s->second); /* in the deadlock mode, this never returns */
    say("hold %s %s\n", s->name, s->second_name);
    usleep(HOLD_US / 4);
    /* Said before unlocking, so that no other thread's "hold" is printed before this line. */
    say("release %s%s\n", s->name, "");
    pthread_mutex_unlock(s->second);
    pthread_mutex_unlock(s->first);
  }
  say("done %s%s\n", s->name, "");
  return NULL;
}

int main(int argc, char **argv) {
  int arg = 1;
  if (arg < argc && strcmp(argv[arg], "--ordered") == 0) {
    ordered = 1;
    arg++;
  }
  int seconds = arg < argc ? atoi(argv[arg]) : 60;
  if (seconds <= 0) seconds = 60;
  alarm((unsigned)seconds);
#ifdef PR_SET_PTRACER
  /* Where Yama's ptrace_scope is 1 (a common default), only a process's ancestors may read its syscall file
   * and memory, and ProcScope (VS Code's extension host) is not an ancestor of a program run in a terminal.
   * This short-lived lab program lets any process of the same user read it, so ProcScope can name the
   * owners of its mutexes. Without Yama the call fails with EINVAL and nothing changes. */
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
#endif
  prctl(PR_SET_NAME, ordered ? "dl-ordered" : "dl-deadlock", 0, 0, 0);
  pthread_barrier_init(&both_hold_one, NULL, 2);

  /* The lock order: in the ordered mode both take A first, so whoever holds A can always get B. */
  struct side left = {"left", "dl-left", &lock_a, &lock_b, "A", "B"};
  struct side right = ordered ? (struct side){"right", "dl-right", &lock_a, &lock_b, "A", "B"}
                              : (struct side){"right", "dl-right", &lock_b, &lock_a, "B", "A"};
  pthread_t tl, tr;
  if (pthread_create(&tl, NULL, run, &left) != 0 || pthread_create(&tr, NULL, run, &right) != 0) {
    perror("pthread_create");
    return 2;
  }
  pthread_join(tl, NULL);
  pthread_join(tr, NULL);
  return 0;
}
