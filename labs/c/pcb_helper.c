/* Helper for the pcb_states lab (built with the system's cc when present).
 *
 *   pcb_helper layout SECONDS   a process whose code, data, BSS, heap and stack are each clearly visible
 *                               in /proc/PID/maps; prints the address of something in each region.
 *   pcb_helper dstate SECONDS   shows state D: the parent calls vfork(), and until the child exits the
 *                               parent waits in the kernel uninterruptibly ("D"). The child only makes
 *                               system calls (prctl, sleep, _exit), all a vfork child may safely do.
 * Python cannot show these directly: its interpreter hides the C memory layout, and a vfork() child
 * returning into the interpreter would corrupt the parent it shares memory with. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <signal.h>

#define MIB (1024 * 1024)

/* data: initialised globals live in the executable's .data section */
static char data_region[2 * MIB] = {1};
/* BSS: zero-initialised globals take no space in the file; the kernel maps zero pages for them */
static char bss_region[4 * MIB];

static void touch(char *p, size_t n, char v) {
  for (size_t i = 0; i < n; i += 4096) p[i] = v;
}

static int layout(int seconds, int korean) {
  prctl(PR_SET_NAME, "pcb-layout", 0, 0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  touch(data_region, sizeof data_region, 2);
  touch(bss_region, sizeof bss_region, 3);
  /* heap: grow the program break directly so the memory shows up as [heap] (big malloc()s use mmap) */
  char *heap = sbrk(8 * MIB);
  if (heap == (void *)-1) { perror("sbrk"); return 1; }
  touch(heap, 8 * MIB, 4);
  /* stack: a large local array, touched, so [stack] grows by about 1 MiB */
  char stack_region[1 * MIB];
  touch(stack_region, sizeof stack_region, 5);
  /* The lab's language comes as the third argument (ko: Korean); the segment names follow the walkthrough's. */
  static const char *const en[] = {"code  (main)         ", "data  (2 MiB global) ", "bss   (4 MiB global) ",
                                    "heap  (8 MiB sbrk)   ", "stack (1 MiB local)  "};
  static const char *const ko[] = {"코드   (main)          ", "데이터 (2 MiB 전역)    ", "BSS    (4 MiB 전역)    ",
                                    "힙     (8 MiB sbrk)    ", "스택   (1 MiB 지역)    "};
  const char *const *label = korean ? ko : en;
  printf("pid %d\n", getpid());
  printf("  %s %p\n", label[0], (void *)layout);
  printf("  %s %p\n", label[1], (void *)data_region);
  printf("  %s %p\n", label[2], (void *)bss_region);
  printf("  %s %p\n", label[3], (void *)heap);
  printf("  %s %p\n", label[4], (void *)stack_region);
  fflush(stdout);
  sleep((unsigned)seconds);
  return stack_region[4096] == 5 ? 0 : 1;
}

static int dstate(int seconds) {
  prctl(PR_SET_NAME, "pcb-vfork-wait", 0, 0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  pid_t child = vfork();
  if (child == 0) {
    prctl(PR_SET_NAME, "pcb-vfork-child", 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    sleep((unsigned)seconds);
    _exit(0);
  }
  if (child < 0) { perror("vfork"); return 1; }
  waitpid(child, NULL, 0);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4) { fprintf(stderr, "usage: %s layout|dstate SECONDS [en|ko]\n", argv[0]); return 2; }
  int seconds = atoi(argv[2]);
  if (strcmp(argv[1], "layout") == 0) return layout(seconds, argc == 4 && strcmp(argv[3], "ko") == 0);
  if (strcmp(argv[1], "dstate") == 0) return dstate(seconds);
  fprintf(stderr, "unknown mode %s\n", argv[1]);
  return 2;
}
