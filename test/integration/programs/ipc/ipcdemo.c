/* ipcdemo: starts one IPC scenario between a parent and a forked child, prints one JSON line with the
 * facts the test checks (pids, fds, inodes, ids), then both processes wait until killed.
 * Used by test/integration/ipc*.test.ts; compiled by the test with `cc`. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what) { fprintf(stderr, "ipcdemo: %s: %s\n", what, strerror(errno)); exit(1); }
static unsigned long ino_of(int fd) { struct stat st; if (fstat(fd, &st) < 0) die("fstat"); return (unsigned long)st.st_ino; }
/* Parent and child stay alive until the test kills the process group. */
static void wait_forever(void) { for (;;) pause(); }
/* The child dies with its parent, so a killed test never leaves it behind. */
static void die_with_parent(void) { prctl(PR_SET_PDEATHSIG, SIGKILL); }
static void sync_write(int fd) { char c = 'x'; if (write(fd, &c, 1) != 1) die("sync write"); }
static void sync_read(int fd) { char c; if (read(fd, &c, 1) != 1) die("sync read"); }

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: ipcdemo MODE [ARG]\n"); return 2; }
  const char *mode = argv[1];
  const char *arg = argc > 2 ? argv[2] : "";
  const char *arg2 = argc > 3 ? argv[3] : "";
  setvbuf(stdout, NULL, _IONBF, 0);
  int sp[2]; /* sync pipe: child -> parent "I am set up" */
  if (strcmp(mode, "rmid") == 0) {
    int id = atoi(arg2);
    int r = strcmp(arg, "shm") == 0 ? shmctl(id, IPC_RMID, NULL) : strcmp(arg, "msg") == 0 ? msgctl(id, IPC_RMID, NULL) : semctl(id, 0, IPC_RMID);
    return r == 0 ? 0 : 1;
  }
  if (strcmp(mode, "unlink-mq") == 0) return mq_unlink(arg) == 0 || errno == ENOENT ? 0 : 1;
  if (pipe2(sp, O_CLOEXEC) < 0) die("pipe");

  if (strcmp(mode, "pipe") == 0) {
    int p[2]; if (pipe(p) < 0) die("pipe");
    pid_t c = fork();
    if (c == 0) { die_with_parent(); close(p[0]); sync_write(sp[1]); wait_forever(); }
    close(p[1]); sync_read(sp[0]);
    printf("{\"parent\":%d,\"child\":%d,\"readFd\":%d,\"writeFd\":%d,\"inode\":%lu}\n", getpid(), c, p[0], p[1], ino_of(p[0]));
  } else if (strcmp(mode, "fifo") == 0) {
    if (mkfifo(arg, 0600) < 0 && errno != EEXIST) die("mkfifo");
    pid_t c = fork();
    if (c == 0) { die_with_parent(); int w = open(arg, O_WRONLY); if (w < 0) die("open fifo w"); printf("{\"childFd\":%d}\n", w); sync_write(sp[1]); wait_forever(); }
    int r = open(arg, O_RDONLY); if (r < 0) die("open fifo r");
    sync_read(sp[0]);
    printf("{\"parent\":%d,\"child\":%d,\"readFd\":%d,\"inode\":%lu}\n", getpid(), c, r, ino_of(r));
  } else if (strcmp(mode, "socketpair") == 0) {
    int sv[2]; if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) die("socketpair");
    pid_t c = fork();
    if (c == 0) { die_with_parent(); close(sv[0]); sync_write(sp[1]); wait_forever(); }
    close(sv[1]); sync_read(sp[0]);
    printf("{\"parent\":%d,\"child\":%d,\"parentFd\":%d,\"childFd\":%d,\"parentInode\":%lu}\n", getpid(), c, sv[0], sv[1], ino_of(sv[0]));
  } else if (strcmp(mode, "unix") == 0) {
    struct sockaddr_un a; memset(&a, 0, sizeof a); a.sun_family = AF_UNIX; strncpy(a.sun_path, arg, sizeof a.sun_path - 1);
    unlink(arg);
    int l = socket(AF_UNIX, SOCK_STREAM, 0); if (l < 0) die("socket");
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    if (listen(l, 4) < 0) die("listen");
    pid_t c = fork();
    if (c == 0) {
      die_with_parent(); close(l);
      int s = socket(AF_UNIX, SOCK_STREAM, 0); if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
      printf("{\"childFd\":%d}\n", s); sync_write(sp[1]); wait_forever();
    }
    sync_read(sp[0]);
    int acc = accept(l, NULL, NULL); if (acc < 0) die("accept");
    printf("{\"parent\":%d,\"child\":%d,\"listenFd\":%d,\"acceptedFd\":%d}\n", getpid(), c, l, acc);
  } else if (strcmp(mode, "tcp") == 0 || strcmp(mode, "udp") == 0) {
    int tcp = strcmp(mode, "tcp") == 0;
    struct sockaddr_in a; memset(&a, 0, sizeof a); a.sin_family = AF_INET; a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int l = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0); if (l < 0) die("socket");
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    socklen_t len = sizeof a; getsockname(l, (struct sockaddr *)&a, &len);
    if (tcp && listen(l, 4) < 0) die("listen");
    pid_t c = fork();
    if (c == 0) {
      die_with_parent(); close(l);
      int s = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
      if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
      if (!tcp && send(s, "x", 1, 0) != 1) die("send");
      struct sockaddr_in me; socklen_t ml = sizeof me; getsockname(s, (struct sockaddr *)&me, &ml);
      printf("{\"childFd\":%d,\"childPort\":%d}\n", s, ntohs(me.sin_port)); sync_write(sp[1]); wait_forever();
    }
    sync_read(sp[0]);
    int acc = -1;
    if (tcp) { acc = accept(l, NULL, NULL); if (acc < 0) die("accept"); }
    else { char b; if (recv(l, &b, 1, 0) != 1) die("recv"); }
    printf("{\"parent\":%d,\"child\":%d,\"serverFd\":%d,\"acceptedFd\":%d,\"port\":%d}\n", getpid(), c, l, acc, ntohs(a.sin_port));
  } else if (strcmp(mode, "posix-shm") == 0) {
    int fd = shm_open(arg, O_CREAT | O_RDWR, 0600); if (fd < 0) die("shm_open");
    if (ftruncate(fd, 8192) < 0) die("ftruncate");
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0); if (m == MAP_FAILED) die("mmap");
    pid_t c = fork();
    if (c == 0) {
      die_with_parent(); close(fd);
      int f = shm_open(arg, O_RDONLY, 0); if (f < 0) die("shm_open child");
      char *cm = mmap(NULL, 8192, PROT_READ, MAP_SHARED, f, 0); if (cm == MAP_FAILED) die("mmap child");
      close(f); munmap(m, 8192); sync_write(sp[1]); wait_forever();
    }
    sync_read(sp[0]);
    printf("{\"parent\":%d,\"child\":%d,\"fd\":%d,\"inode\":%lu}\n", getpid(), c, fd, ino_of(fd));
  } else if (strcmp(mode, "sysv-shm") == 0) {
    int id = shmget(IPC_PRIVATE, 16384, IPC_CREAT | 0600); if (id < 0) die("shmget");
    void *m = shmat(id, NULL, 0); if (m == (void *)-1) die("shmat");
    pid_t c = fork(); /* the child inherits the attachment */
    if (c == 0) { die_with_parent(); sync_write(sp[1]); wait_forever(); }
    sync_read(sp[0]);
    /* Marked for removal now: the kernel keeps it (and lists it) while attached, and frees it when both
     * processes are gone, however they die. */
    if (strcmp(arg, "keep") != 0 && shmctl(id, IPC_RMID, NULL) < 0) die("shmctl");
    printf("{\"parent\":%d,\"child\":%d,\"id\":%d}\n", getpid(), c, id);
  } else if (strcmp(mode, "sysv-msg") == 0) {
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600); if (id < 0) die("msgget");
    struct { long type; char text[16]; } msg = { 1, "hello" };
    pid_t c = fork();
    if (c == 0) {
      die_with_parent();
      if (msgsnd(id, &msg, 6, 0) < 0 || msgsnd(id, &msg, 6, 0) < 0) die("msgsnd");
      sync_write(sp[1]); wait_forever();
    }
    sync_read(sp[0]);
    if (msgrcv(id, &msg, sizeof msg.text, 0, 0) < 0) die("msgrcv");
    printf("{\"parent\":%d,\"child\":%d,\"id\":%d}\n", getpid(), c, id);
  } else if (strcmp(mode, "sysv-sem") == 0) {
    int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600); if (id < 0) die("semget");
    struct sembuf op = { 0, 1, 0 }; if (semop(id, &op, 1) < 0) die("semop");
    printf("{\"parent\":%d,\"id\":%d}\n", getpid(), id);
  } else if (strcmp(mode, "mqueue") == 0) {
    struct mq_attr at; memset(&at, 0, sizeof at); at.mq_maxmsg = 4; at.mq_msgsize = 32;
    mqd_t q = mq_open(arg, O_CREAT | O_RDONLY, 0600, &at); if (q < 0) die("mq_open");
    pid_t c = fork();
    if (c == 0) {
      die_with_parent(); mq_close(q);
      mqd_t w = mq_open(arg, O_WRONLY); if (w < 0) die("mq_open child");
      if (mq_send(w, "hi", 2, 0) < 0) die("mq_send");
      printf("{\"childFd\":%d}\n", (int)w); sync_write(sp[1]); wait_forever();
    }
    sync_read(sp[0]);
    printf("{\"parent\":%d,\"child\":%d,\"fd\":%d,\"inode\":%lu}\n", getpid(), c, (int)q, ino_of(q));
  } else if (strcmp(mode, "eventfd") == 0) {
    int e = eventfd(5, 0); if (e < 0) die("eventfd");
    pid_t c = fork();
    if (c == 0) { die_with_parent(); sync_write(sp[1]); wait_forever(); }
    sync_read(sp[0]);
    printf("{\"parent\":%d,\"child\":%d,\"fd\":%d}\n", getpid(), c, e);
  } else if (strcmp(mode, "posix-sem") == 0) {
    sem_t *s = sem_open(arg, O_CREAT, 0600, 1); if (s == SEM_FAILED) die("sem_open");
    pid_t c = fork();
    if (c == 0) {
      die_with_parent(); sem_close(s);
      sem_t *t = sem_open(arg, 0); if (t == SEM_FAILED) die("sem_open child");
      sync_write(sp[1]); wait_forever();
    }
    sync_read(sp[0]);
    printf("{\"parent\":%d,\"child\":%d}\n", getpid(), c);
  } else if (strcmp(mode, "shared-file") == 0) {
    int fd = open(arg, O_CREAT | O_RDWR, 0600); if (fd < 0) die("open");
    if (ftruncate(fd, 4096) < 0) die("ftruncate");
    char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0); if (m == MAP_FAILED) die("mmap");
    close(fd); /* only the mapping remains, inherited by the child */
    pid_t c = fork();
    if (c == 0) { die_with_parent(); sync_write(sp[1]); wait_forever(); }
    sync_read(sp[0]);
    printf("{\"parent\":%d,\"child\":%d}\n", getpid(), c);
  } else if (strcmp(mode, "anon") == 0) {
    /* One process: epoll watching the sync pipe's read end, a monotonic timerfd, a signalfd for SIGUSR1,
     * an inotify watching /tmp. */
    int ep = epoll_create1(0); struct epoll_event ev = { .events = EPOLLIN, .data.fd = sp[0] };
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, sp[0], &ev) < 0) die("epoll");
    int tf = timerfd_create(CLOCK_MONOTONIC, 0); if (tf < 0) die("timerfd");
    sigset_t set; sigemptyset(&set); sigaddset(&set, SIGUSR1); sigprocmask(SIG_BLOCK, &set, NULL);
    int sf = signalfd(-1, &set, 0); if (sf < 0) die("signalfd");
    int in = inotify_init1(0); if (in < 0 || inotify_add_watch(in, "/tmp", IN_CREATE) < 0) die("inotify");
    printf("{\"parent\":%d,\"epoll\":%d,\"watched\":%d,\"timerfd\":%d,\"signalfd\":%d,\"inotify\":%d}\n", getpid(), ep, sp[0], tf, sf, in);
  } else if (strcmp(mode, "memfd") == 0) {
    int m = memfd_create(arg, 0); if (m < 0) die("memfd_create");
    pid_t c = fork();
    if (c == 0) { die_with_parent(); sync_write(sp[1]); wait_forever(); }
    sync_read(sp[0]);
    printf("{\"parent\":%d,\"child\":%d,\"fd\":%d,\"inode\":%lu}\n", getpid(), c, m, ino_of(m));
  } else if (strcmp(mode, "flock") == 0 || strcmp(mode, "fcntl") == 0) {
    int use_flock = strcmp(mode, "flock") == 0;
    int fd = open(arg, O_CREAT | O_RDWR, 0600); if (fd < 0) die("open");
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 90 };
    if (use_flock ? flock(fd, LOCK_EX) : fcntl(fd, F_SETLK, &fl)) die("lock");
    pid_t c = fork();
    if (c == 0) {
      die_with_parent();
      int f = open(arg, O_RDWR); if (f < 0) die("open child");
      printf("{\"childFd\":%d}\n", f);
      struct flock w = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 50, .l_len = 10 };
      if (use_flock ? flock(f, LOCK_EX) : fcntl(f, F_SETLKW, &w)) die("lock child"); /* blocks: a waiter */
      wait_forever();
    }
    printf("{\"parent\":%d,\"child\":%d,\"fd\":%d,\"inode\":%lu}\n", getpid(), c, fd, ino_of(fd));
  } else if (strcmp(mode, "ofd") == 0) {
    /* Open-file-description locks: owned by the open file, shown with pid -1 in /proc/locks. */
    int fd = open(arg, O_CREAT | O_RDWR, 0600); if (fd < 0) die("open");
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    if (fcntl(fd, F_OFD_SETLK, &fl)) die("ofd lock");
    pid_t c = fork();
    if (c == 0) {
      die_with_parent();
      int f = open(arg, O_RDWR); if (f < 0) die("open child");
      printf("{\"childFd\":%d}\n", f);
      struct flock w = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
      if (fcntl(f, F_OFD_SETLKW, &w)) die("ofd lock child"); /* blocks: a waiter */
      wait_forever();
    }
    printf("{\"parent\":%d,\"child\":%d,\"fd\":%d}\n", getpid(), c, fd);
  } else if (strcmp(mode, "deadlock") == 0) {
    /* Each process opens its own files after the fork (an inherited fd would share the flock). */
    int sp2[2]; if (pipe(sp2) < 0) die("pipe");
    pid_t c = fork();
    if (c == 0) {
      die_with_parent();
      int b = open(arg2, O_CREAT | O_RDWR, 0600); if (b < 0 || flock(b, LOCK_EX)) die("child lock b");
      sync_write(sp[1]); sync_read(sp2[0]);
      int a = open(arg, O_RDWR); if (a < 0) die("child open a");
      printf("{\"childA\":%d,\"childB\":%d}\n", a, b);
      if (flock(a, LOCK_EX)) die("child lock a"); /* blocks forever: the parent holds a */
      wait_forever();
    }
    int a = open(arg, O_CREAT | O_RDWR, 0600); if (a < 0 || flock(a, LOCK_EX)) die("parent lock a");
    sync_read(sp[0]); sync_write(sp2[1]);
    int b = open(arg2, O_RDWR); if (b < 0) die("parent open b");
    printf("{\"parent\":%d,\"child\":%d,\"parentA\":%d,\"parentB\":%d}\n", getpid(), c, a, b);
    if (flock(b, LOCK_EX)) die("parent lock b"); /* blocks until the child dies */
    printf("{\"parentGotB\":true}\n");
  } else {
    fprintf(stderr, "ipcdemo: unknown mode %s\n", mode); return 2;
  }
  wait_forever();
}
