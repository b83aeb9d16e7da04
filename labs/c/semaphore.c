/* Helper for the semaphore lab (built with the system's cc when present).
 *
 *   semaphore NAME PERMITS SECONDS   five worker threads NAME-1 ... NAME-5 share a counting semaphore
 *                                    (POSIX sem_t) that starts at PERMITS. Each worker, over and over:
 *                                    sem_wait (take a permit, or sleep until one is free), work a while
 *                                    holding it, sem_post (give it back), rest a moment.
 * So at most PERMITS workers work at once and the others wait, blocked in sem_wait: in the kernel that is
 * a futex wait on the semaphore's word. A semaphore, unlike a mutex, has no owner: any thread may post.
 *
 * The process is named sem-NAME (NAME is at most 10 characters) and ends by itself after SECONDS
 * (alarm(): SIGALRM's default action terminates it), so it never outlives the lab.
 *
 * Machine lines on stdout, which the lab turns into sentences in the learner's language:
 *   thread NAME TID       a worker started
 *   turn NAME IN_USE      NAME took a permit; IN_USE workers now hold one (never more than PERMITS) */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WORKERS 5
/* Work long enough, rest briefly: most of the time PERMITS workers work and the rest wait, so any look
 * ProcScope takes is likely to find exactly that. */
#define WORK_US 700000
#define REST_US 20000

static sem_t permits;
static int in_use;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *group;

static void say(const char *what, const char *name, long value) {
  pthread_mutex_lock(&out_lock);
  printf("%s %s %ld\n", what, name, value);
  fflush(stdout);
  pthread_mutex_unlock(&out_lock);
}

static void *work(void *p) {
  char name[32];
  snprintf(name, sizeof name, "%.10s-%d", group, (int)(long)p + 1);
  pthread_setname_np(pthread_self(), name);
  say("thread", name, (long)syscall(SYS_gettid));
  for (;;) {
    while (sem_wait(&permits) != 0) {
      /* EINTR: try again */
    }
    say("turn", name, __atomic_add_fetch(&in_use, 1, __ATOMIC_SEQ_CST));
    usleep(WORK_US);
    __atomic_sub_fetch(&in_use, 1, __ATOMIC_SEQ_CST);
    sem_post(&permits);
    usleep(REST_US);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 4 || strlen(argv[1]) == 0 || strlen(argv[1]) > 10 || atoi(argv[2]) < 1) {
    fprintf(stderr, "usage: semaphore NAME PERMITS SECONDS\n");
    return 2;
  }
  group = argv[1];
  int seconds = atoi(argv[3]);
  if (seconds <= 0) seconds = 60;
  alarm((unsigned)seconds);
#ifdef PR_SET_PTRACER
  /* Where Yama's ptrace_scope is 1, only a process's ancestors may read its syscall file and memory, and
   * ProcScope (VS Code's extension host) is not an ancestor of a program run in a terminal. This short-lived
   * lab program lets any process of the same user read it, so ProcScope can say what its threads wait on. */
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
#endif
  char name[32];
  snprintf(name, sizeof name, "sem-%.10s", group);
  prctl(PR_SET_NAME, name, 0, 0, 0);
  sem_init(&permits, 0, (unsigned)atoi(argv[2]));
  pthread_t threads[WORKERS];
  for (long i = 0; i < WORKERS; i++) {
    if (pthread_create(&threads[i], NULL, work, (void *)i) != 0) {
      perror("pthread_create");
      return 2;
    }
  }
  for (;;) pause();
}
