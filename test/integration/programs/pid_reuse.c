// Forces pid reuse (as root): forks child A and prints "A <pid>", waits for a line on stdin, then kills and
// reaps A and forks children until one gets A's pid again (through /proc/sys/kernel/ns_last_pid), printing
// "B <pid>" (or "B 0" when the pid could not be had). Everything after the line is done back to back so that
// A and B can fall in the same clock tick. Children just pause.
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t spawn(void) {
  pid_t p = fork();
  if (p == 0) {
    for (;;) pause();
  }
  return p;
}

static int set_last_pid(pid_t last) {
  FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
  if (!f) return -1;
  fprintf(f, "%d", (int)last);
  return fclose(f);
}

int main(void) {
  pid_t a = spawn();
  printf("A %d\n", (int)a);
  fflush(stdout);
  char line[16];
  if (!fgets(line, sizeof line, stdin)) return 1;
  kill(a, SIGKILL);
  waitpid(a, NULL, 0);
  pid_t b = 0;
  for (int i = 0; i < 2000; i++) {
    if (set_last_pid(a - 1) != 0) break;
    pid_t p = spawn();
    if (p == a) { b = p; break; }
    kill(p, SIGKILL);
    waitpid(p, NULL, 0);
  }
  printf("B %d\n", (int)b);
  fflush(stdout);
  if (fgets(line, sizeof line, stdin)) { /* wait for the test to finish looking */ }
  if (b > 0) { kill(b, SIGKILL); waitpid(b, NULL, 0); }
  return 0;
}
