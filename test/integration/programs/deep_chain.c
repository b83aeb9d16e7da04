/* A chain of N processes, each the child of the one before: the deepest prints "ready PID" and every
 * process pauses until killed. All share one process group (the first one's), so one kill ends them all;
 * each dies with its parent (PR_SET_PDEATHSIG), so nothing is left if the test dies first. The deepest
 * drops back to the normal policy before it prints, so the tools that read the chain see ordinary processes
 * at its bottom. */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int depth = argc > 1 ? atoi(argv[1]) : 2000;
  pid_t parent = getpid();
  setpgid(0, 0);
  /* Each level can only be forked once the level above has been scheduled; on a busy machine that wait is a
   * time slice per level. A real-time policy (root only; inherited) makes every new child run at once. */
  struct sched_param param = { .sched_priority = 1 };
  sched_setscheduler(0, SCHED_FIFO, &param);
  for (int i = 1; i < depth; i++) {
    pid_t child = fork();
    if (child < 0) {
      printf("failed at %d\n", i);
      fflush(stdout);
      _exit(1);
    }
    if (child > 0) {
      for (;;) pause();
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1); /* the parent died before the death signal was armed */
    parent = getpid();
  }
  param.sched_priority = 0;
  sched_setscheduler(0, SCHED_OTHER, &param);
  printf("ready %d\n", (int)getpid());
  fflush(stdout);
  for (;;) pause();
}
