// One blocked situation per mode, for `procscope waits` tests. Every process prints nothing but the one
// ready line (the ids the test asserts), ends itself after LIFETIME seconds (alarm), and forked children die
// with their parent (PR_SET_PDEATHSIG). Usage: waits MODE [PATH]
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <unistd.h>

#define LIFETIME 30

static pid_t gettid_(void) { return (pid_t)syscall(SYS_gettid); }

static void die(const char *what) { perror(what); exit(1); }

static void nap_ms(int ms) {
  struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
  nanosleep(&ts, NULL);
}

/** fork() for a child that ends with its parent and by itself. */
static pid_t child(void) {
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    alarm(LIFETIME);
  }
  return pid;
}

static void sleep_forever(void) { for (;;) pause(); }

// ---- two threads, two mutexes, opposite order ----
static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER, m2 = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t barrier;
static volatile pid_t tid_a, tid_b;

static void *thread_a(void *arg) {
  (void)arg;
  tid_a = gettid_();
  pthread_setname_np(pthread_self(), "worker-a");
  pthread_mutex_lock(&m1);
  pthread_barrier_wait(&barrier);
  pthread_mutex_lock(&m2);
  return NULL;
}

static void *thread_b(void *arg) {
  (void)arg;
  tid_b = gettid_();
  pthread_setname_np(pthread_self(), "worker-b");
  pthread_mutex_lock(&m2);
  pthread_barrier_wait(&barrier);
  pthread_mutex_lock(&m1);
  return NULL;
}

static void mutex_deadlock(void) {
  pthread_t a, b;
  pthread_barrier_init(&barrier, NULL, 3);
  pthread_create(&a, NULL, thread_a, NULL);
  pthread_create(&b, NULL, thread_b, NULL);
  pthread_barrier_wait(&barrier);
  printf("%d %d %p %p\n", (int)tid_a, (int)tid_b, (void *)&m1, (void *)&m2);
  fflush(stdout);
  pthread_join(a, NULL);
}

// ---- pipes ----
static void pipe_reader(void) {
  int p[2];
  if (pipe(p) < 0) die("pipe");
  pid_t w = child();
  if (w == 0) { close(p[0]); sleep_forever(); }
  close(p[1]);
  printf("%d %d\n", (int)getpid(), (int)w);
  fflush(stdout);
  char c;
  (void)read(p[0], &c, 1);
}

static void pipe_writer(void) {
  int p[2];
  if (pipe(p) < 0) die("pipe");
  pid_t r = child();
  if (r == 0) { close(p[1]); sleep_forever(); }
  close(p[0]);
  static char buf[4096];
  int flags = fcntl(p[1], F_GETFL);
  fcntl(p[1], F_SETFL, flags | O_NONBLOCK);
  while (write(p[1], buf, sizeof buf) > 0) {}
  fcntl(p[1], F_SETFL, flags);
  printf("%d %d\n", (int)getpid(), (int)r);
  fflush(stdout);
  (void)write(p[1], buf, sizeof buf);
}

// ---- unix sockets ----
static void unix_accept(const char *path) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
  unlink(path);
  if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 1) < 0) die("bind/listen");
  printf("%d\n", (int)getpid());
  fflush(stdout);
  (void)accept(s, NULL, NULL);
}

static void unix_recv(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) die("socketpair");
  pid_t peer = child();
  if (peer == 0) { close(sv[0]); sleep_forever(); }
  close(sv[1]);
  printf("%d %d\n", (int)getpid(), (int)peer);
  fflush(stdout);
  char c;
  (void)recv(sv[0], &c, 1, 0);
}

/** recv on an accepted local TCP connection whose client is a child process. */
static void tcp_recv(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 1) < 0 || getsockname(s, (struct sockaddr *)&addr, &len) < 0) die("tcp listen");
  pid_t client = child();
  if (client == 0) {
    close(s);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&addr, sizeof addr) < 0) die("connect");
    sleep_forever();
  }
  int a = accept(s, NULL, NULL);
  if (a < 0) die("accept");
  close(s);
  printf("%d %d\n", (int)getpid(), (int)client);
  fflush(stdout);
  char c;
  (void)recv(a, &c, 1, 0);
}

/** read on a FIFO whose only writer is a child process. */
static void fifo_read(const char *path) {
  unlink(path);
  if (mkfifo(path, 0600) < 0) die("mkfifo");
  pid_t w = child();
  if (w == 0) {
    int fd = open(path, O_WRONLY);
    if (fd < 0) die("open fifo for writing");
    sleep_forever();
  }
  int fd = open(path, O_RDONLY);
  if (fd < 0) die("open fifo");
  printf("%d %d\n", (int)getpid(), (int)w);
  fflush(stdout);
  char c;
  (void)read(fd, &c, 1);
}

// ---- file locks ----
static void flock_wait(const char *path) {
  pid_t waiter = child();
  if (waiter == 0) {
    nap_ms(200);
    int fd = open(path, O_RDWR | O_CREAT, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) < 0) die("child flock");
    sleep_forever();
  }
  int fd = open(path, O_RDWR | O_CREAT, 0600);
  if (fd < 0 || flock(fd, LOCK_EX) < 0) die("flock");
  printf("%d %d\n", (int)getpid(), (int)waiter);
  fflush(stdout);
  sleep_forever();
}

/** A holds the flock and reads a pipe only B can write; B holds that write end and waits for the flock. */
static void flock_pipe_cycle(const char *path) {
  int p[2];
  if (pipe(p) < 0) die("pipe");
  pid_t b = child();
  if (b == 0) {
    close(p[0]);
    nap_ms(200);
    int fd = open(path, O_RDWR | O_CREAT, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) < 0) die("child flock");
    sleep_forever();
  }
  close(p[1]);
  int fd = open(path, O_RDWR | O_CREAT, 0600);
  if (fd < 0 || flock(fd, LOCK_EX) < 0) die("flock");
  printf("%d %d\n", (int)getpid(), (int)b);
  fflush(stdout);
  char c;
  (void)read(p[0], &c, 1);
}

// ---- children, SysV ----
static void wait_child(void) {
  pid_t c = child();
  if (c == 0) sleep_forever();
  printf("%d %d\n", (int)getpid(), (int)c);
  fflush(stdout);
  (void)waitpid(-1, NULL, 0);
}

static void sem_wait0(void) {
  int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  if (id < 0) die("semget");
  printf("%d %d\n", (int)getpid(), id);
  fflush(stdout);
  struct sembuf op = { 0, -1, 0 };
  (void)semop(id, &op, 1);
}

static void msg_wait(void) {
  int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  if (id < 0) die("msgget");
  printf("%d %d\n", (int)getpid(), id);
  fflush(stdout);
  struct { long type; char text[16]; } m;
  (void)msgrcv(id, &m, sizeof m.text, 0, 0);
}

/** A reads a pipe only B writes, B reads a pipe only C writes, C sleeps: a chain, not a cycle. */
static void chain(void) {
  int p1[2], p2[2];
  if (pipe(p1) < 0 || pipe(p2) < 0) die("pipe");
  pid_t c = child();
  if (c == 0) { close(p1[0]); close(p1[1]); close(p2[0]); sleep_forever(); }
  pid_t b = child();
  if (b == 0) {
    close(p1[0]); close(p2[1]);
    char ch;
    (void)read(p2[0], &ch, 1);
    sleep_forever();
  }
  close(p1[1]); close(p2[0]); close(p2[1]);
  printf("%d %d %d\n", (int)getpid(), (int)b, (int)c);
  fflush(stdout);
  char ch;
  (void)read(p1[0], &ch, 1);
}

int main(int argc, char **argv) {
  alarm(LIFETIME);
  const char *mode = argc > 1 ? argv[1] : "";
  const char *path = argc > 2 ? argv[2] : "";
  if (!strcmp(mode, "mutex-deadlock")) mutex_deadlock();
  else if (!strcmp(mode, "pipe-reader")) pipe_reader();
  else if (!strcmp(mode, "pipe-writer")) pipe_writer();
  else if (!strcmp(mode, "accept")) unix_accept(path);
  else if (!strcmp(mode, "recv")) unix_recv();
  else if (!strcmp(mode, "tcp")) tcp_recv();
  else if (!strcmp(mode, "fifo")) fifo_read(path);
  else if (!strcmp(mode, "flock")) flock_wait(path);
  else if (!strcmp(mode, "flock-pipe")) flock_pipe_cycle(path);
  else if (!strcmp(mode, "wait")) wait_child();
  else if (!strcmp(mode, "sem")) sem_wait0();
  else if (!strcmp(mode, "msg")) msg_wait();
  else if (!strcmp(mode, "chain")) chain();
  else { fprintf(stderr, "unknown mode %s\n", mode); return 2; }
  return 0;
}
