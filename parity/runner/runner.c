// migtrace parity runner: runs scenario action lists inside a QEMU guest and
// reports what the real kernel did. The format is in FORMAT.md beside this file.
// Built once: gcc -O2 -static -o runner runner.c. Raw syscalls, no libnuma/liburing.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MPOL_DEFAULT 0
#define MPOL_BIND 2
#define PAGE 4096UL
#define PMD (2UL << 20)
#define MAXPAGES 4096
#define MAXW 32
#define MAXMAP 256
#define LINE (128 << 10)
#define UNWRITTEN (-99999)
#define OWN_NODE 2 /* the harness's node: the runner's own pages live here */
#define OP_TIMEOUT_MS 30000
#define CASE_TIMEOUT_S 180

static const char *TR = "/sys/kernel/tracing";
static int outfd = 1;

// ------------------------------------------------------------ small helpers

// Large buffers of the coordinator come from mmap, not .bss: every worker writes
// all of its .bss at start (see own_pages_to_own_node), so .bss stays small.
static void *big(size_t n) {
  void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { perror("mmap"); _exit(3); }
  return p;
}

static void emit(const char *fmt, ...) {
  static char *buf;
  if (!buf) buf = big(LINE);
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, LINE - 2, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (n > LINE - 2) n = LINE - 2;
  buf[n++] = '\n';
  for (int off = 0; off < n;) {
    ssize_t w = write(outfd, buf + off, n - off);
    if (w <= 0) { if (errno == EINTR) continue; return; }
    off += w;
  }
}

static const char *ename(int e) {
  if (e == 0) return "";
  const char *s = strerrorname_np(e);
  return s ? s : "E?";
}

static int write_file(const char *path, const char *val) {
  int fd = open(path, O_WRONLY | O_TRUNC);
  if (fd < 0) return -errno;
  ssize_t w = write(fd, val, strlen(val));
  int e = w < 0 ? -errno : 0;
  close(fd);
  return e;
}

static int append_file(const char *path, const char *val) {
  int fd = open(path, O_WRONLY | O_APPEND);
  if (fd < 0) return -errno;
  ssize_t w = write(fd, val, strlen(val));
  int e = w < 0 ? -errno : 0;
  close(fd);
  return e;
}

// Tracefs and procfs files are seq files: one read() gives about a page, so loop.
static ssize_t read_file(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  size_t len = 0;
  while (len + 1 < cap) {
    ssize_t r = read(fd, buf + len, cap - 1 - len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    len += r;
  }
  buf[len] = 0;
  close(fd);
  return len;
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static unsigned long num(const char *s) { return s ? strtoul(s, NULL, 0) : 0; }

static int split(char *s, char **tok, int max) {
  int n = 0;
  for (char *p = strtok(s, " \t\r\n"); p && n < max; p = strtok(NULL, " \t\r\n")) tok[n++] = p;
  return n;
}

static long sys_mbind(unsigned long a, unsigned long l, int mode, const unsigned long *m, unsigned long max, unsigned f) {
  return syscall(SYS_mbind, a, l, mode, m, max, f);
}
static long sys_set_mempolicy(int mode, const unsigned long *m, unsigned long max) {
  return syscall(SYS_set_mempolicy, mode, m, max);
}
static long sys_migrate_pages(int pid, unsigned long max, const unsigned long *o, const unsigned long *n) {
  return syscall(SYS_migrate_pages, pid, max, o, n);
}
static long sys_move_pages(int pid, unsigned long n, void **pages, const int *nodes, int *status, int flags) {
  return syscall(SYS_move_pages, pid, n, pages, nodes, status, flags);
}

static int node_exists(int n) {
  char p[96];
  snprintf(p, sizeof p, "/sys/devices/system/node/node%d", n);
  return access(p, F_OK) == 0;
}

static int first_cpu_of_node(int n) {
  char p[96], buf[256];
  snprintf(p, sizeof p, "/sys/devices/system/node/node%d/cpulist", n);
  if (read_file(p, buf, sizeof buf) <= 0 || buf[0] < '0' || buf[0] > '9') return -1;
  return atoi(buf);
}

// The runner's own pages go to OWN_NODE, so that the scenario's nodes hold only
// scenario memory. Writing every page of data/bss and a stack area under a
// MPOL_BIND policy places (or copies, after fork) them there; migrate_pages(2)
// of the whole process catches the rest (text, when the caller may move it).
extern char __data_start[], _end[];
// The scenario's process policy (set_mempolicy from a `policy` line), restored after every temporary change.
static int cur_mode = MPOL_DEFAULT;
static unsigned long cur_mask;
static void restore_policy(void) { sys_set_mempolicy(cur_mode, cur_mode == MPOL_DEFAULT ? NULL : &cur_mask, 64); }
static void __attribute__((noinline)) prefault_stack(void) {
  volatile char area[192 * 1024];
  for (size_t i = 0; i < sizeof area; i += PAGE) area[i] = 0;
}
static void write_range(unsigned long from, unsigned long to) {
  for (volatile char *p = (char *)(from & ~(PAGE - 1)); (unsigned long)p < to; p += PAGE) *p = *p;
}
static void own_pages_to_own_node(int migrate_all) {
  if (!node_exists(OWN_NODE)) return;
  unsigned long own = 1UL << OWN_NODE, scen = 3UL;
  sys_set_mempolicy(MPOL_BIND, &own, 64);
  prefault_stack();
  write_range((unsigned long)__data_start, (unsigned long)_end);
  // The stack above us and the heap are still shared copy-on-write with the
  // parent after fork: write them too, or the first write lands on node 0.
  char maps[8192];
  if (read_file("/proc/self/maps", maps, sizeof maps) > 0)
    for (char *l = maps; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
      unsigned long a, b;
      char *eol = strchr(l, '\n');
      if (eol) *eol = 0;
      int is = strstr(l, "[stack]") || strstr(l, "[heap]");
      if (eol) *eol = '\n';
      if (is && sscanf(l, "%lx-%lx", &a, &b) == 2) {
        unsigned long sp = (unsigned long)&a;
        if (sp > a && sp < b && sp - a > 256 * 1024) a = sp - 256 * 1024;
        write_range(a, b);
      }
    }
  if (migrate_all) sys_migrate_pages(0, 64, &scen, &own);
  restore_policy();
}

// ------------------------------------------------------------ worker side

static sigjmp_buf touch_jmp;
static volatile sig_atomic_t in_touch;
static void on_fault(int sig) {
  if (in_touch) siglongjmp(touch_jmp, sig);
  signal(sig, SIG_DFL);
  raise(sig);
}

static int ring_fds[64], nrings, pipe_fds[64], npipes;
static int status_buf[MAXPAGES], nodes_buf[MAXPAGES];
static void *addr_buf[MAXPAGES];
static unsigned long mask_a[1024], mask_b[1024];

static int prot_of(const char *s) {
  if (!s || !strcmp(s, "none")) return PROT_NONE;
  int p = 0;
  if (strchr(s, 'r')) p |= PROT_READ;
  if (strchr(s, 'w')) p |= PROT_WRITE;
  if (strchr(s, 'x')) p |= PROT_EXEC;
  return p;
}

static int parse_list(char *s, void **addrs, int *ints) {
  int n = 0;
  if (!s || !strcmp(s, "-")) return 0;
  for (char *p = strtok(s, ","); p && n < MAXPAGES; p = strtok(NULL, ",")) {
    if (addrs) addrs[n++] = (void *)strtoul(p, NULL, 0);
    else ints[n++] = (int)strtol(p, NULL, 0);
  }
  return n;
}

static long do_mmap(char **t, int n, int *err) {
  // mmap BACKING SHARING SIZE ALIGN THP AT PROT
  if (n < 8) { *err = EINVAL; return -1; }
  const char *backing = t[1];
  int shared = !strcmp(t[2], "shared");
  unsigned long size = num(t[3]), align = num(t[4]), at = strcmp(t[6], "-") ? num(t[6]) : 0;
  int prot = prot_of(t[7]);
  int flags = shared ? MAP_SHARED : MAP_PRIVATE, fd = -1;
  if (!strcmp(backing, "anon")) flags |= MAP_ANONYMOUS;
  else if (!strcmp(backing, "hugetlb")) flags |= MAP_ANONYMOUS | MAP_HUGETLB;
  else if (!strcmp(backing, "shmem")) fd = memfd_create("migtrace-shmem", 0);
  else if (!strcmp(backing, "file")) fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
  else { *err = EINVAL; return -1; }
  if ((flags & MAP_ANONYMOUS) == 0) {
    if (fd < 0 || ftruncate(fd, size) < 0) { *err = errno; if (fd >= 0) close(fd); return -1; }
  }
  void *want = NULL;
  if (at) { want = (void *)at; flags |= MAP_FIXED_NOREPLACE; }
  else if (align > PAGE) {
    // Reserve size+align, then place the mapping at the aligned address inside.
    char *r = mmap(NULL, size + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) { *err = errno; if (fd >= 0) close(fd); return -1; }
    unsigned long a = ((unsigned long)r + align - 1) & ~(align - 1);
    if (a > (unsigned long)r) munmap(r, a - (unsigned long)r);
    unsigned long tail = (unsigned long)r + size + align - (a + size);
    if (tail) munmap((void *)(a + size), tail);
    want = (void *)a;
    flags |= MAP_FIXED;
  }
  void *p = mmap(want, size, prot, flags, fd, 0);
  int e = errno;
  if (fd >= 0) close(fd);
  if (p == MAP_FAILED) { *err = e; return -1; }
  if (!strcmp(t[5], "thp") && madvise(p, size, MADV_HUGEPAGE) < 0) { *err = errno; return -1; }
  if (!strcmp(t[5], "nothp") && madvise(p, size, MADV_NOHUGEPAGE) < 0) { *err = errno; return -1; }
  return (long)p;
}

static long do_touch(char **t, int n, int *err, char *extra, size_t xcap) {
  // touch ADDR LEN read|write NODE
  if (n < 5) { *err = EINVAL; return -1; }
  volatile char *a = (char *)num(t[1]);
  // volatile: they must survive the siglongjmp out of a faulting access.
  volatile unsigned long len = num(t[2]), off = 0;
  volatile int wr = !strcmp(t[3], "write"), node = strcmp(t[4], "-") ? atoi(t[4]) : -1;
  if (node >= 0) {
    unsigned long m = 1UL << node;
    if (sys_set_mempolicy(MPOL_BIND, &m, 64) < 0) { *err = errno; return -1; }
  }
  in_touch = 1;
  int sig = sigsetjmp(touch_jmp, 1);
  if (sig == 0) {
    for (off = 0; off < len; off += PAGE) {
      if (wr) a[off] = (char)(off >> 12) | 1;
      else (void)a[off];
    }
  }
  in_touch = 0;
  if (node >= 0) restore_policy();
  if (sig) {
    *err = EFAULT;
    snprintf(extra, xcap, "\"fault_offset\":%lu,\"signal\":\"%s\"", (unsigned long)off, sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
    return -1;
  }
  return 0;
}

static long do_pin(char **t, int n, int *err, char *extra, size_t xcap) {
  // pin ADDR LEN longterm|ref
  if (n < 4) { *err = EINVAL; return -1; }
  struct iovec iov = {(void *)num(t[1]), num(t[2])};
  if (!strcmp(t[3], "longterm")) {
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    int fd = syscall(SYS_io_uring_setup, 1, &p);
    if (fd < 0) { *err = errno; snprintf(extra, xcap, "\"stage\":\"io_uring_setup\""); return -1; }
    long r = syscall(SYS_io_uring_register, fd, IORING_REGISTER_BUFFERS, &iov, 1);
    if (r < 0) { *err = errno; close(fd); return -1; }
    if (nrings < 64) ring_fds[nrings++] = fd;
    snprintf(extra, xcap, "\"pinned\":%lu", (iov.iov_len + PAGE - 1) / PAGE);
    return r;
  }
  int pfd[2];
  if (pipe2(pfd, 0) < 0) { *err = errno; return -1; }
  unsigned long slots = (iov.iov_len + PAGE - 1) / PAGE + 1;
  fcntl(pfd[1], F_SETPIPE_SZ, (int)(slots * PAGE));
  long r = vmsplice(pfd[1], &iov, 1, SPLICE_F_NONBLOCK);
  if (r < 0) { *err = errno; close(pfd[0]); close(pfd[1]); return -1; }
  if (npipes < 63) { pipe_fds[npipes++] = pfd[0]; pipe_fds[npipes++] = pfd[1]; }
  snprintf(extra, xcap, "\"bytes\":%ld,\"pinned\":%ld", r, (r + (long)PAGE - 1) / (long)PAGE);
  return 0;
}

static int set_identity(int uid, int nice, int cpunode) {
  if (cpunode >= 0) {
    int cpu = first_cpu_of_node(cpunode);
    if (cpu < 0) return -ENODEV;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) < 0) return -errno;
  }
  if (uid != 0) {
    if (nice) prctl(PR_SET_KEEPCAPS, 1);
    if (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0) return -errno;
    if (nice) {
      struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
      struct __user_cap_data_struct d[2];
      memset(d, 0, sizeof d);
      d[0].effective = d[0].permitted = 1U << CAP_SYS_NICE;
      if (syscall(SYS_capset, &h, d) < 0) return -errno;
    }
    // A credential change clears "dumpable", which would make same-uid ptrace
    // checks (migrate_pages/move_pages on another process) fail with EPERM.
    prctl(PR_SET_DUMPABLE, 1);
  }
  return 0;
}

static void worker_loop(int cmd, int rep);

// Executes one command in the calling process; the reply goes into `reply`.
static void do_cmd(char *line, char *reply, size_t cap) {
  char *t[16];
  char extra[256] = "";
  char *status_list = NULL;
  int n = split(line, t, 16), err = 0;
  long ret = 0;
  if (n == 0) { snprintf(reply, cap, "R -1 %d", EINVAL); return; }
  const char *v = t[0];
  if (!strcmp(v, "mmap")) ret = do_mmap(t, n, &err);
  else if (!strcmp(v, "touch")) ret = do_touch(t, n, &err, extra, sizeof extra);
  else if (!strcmp(v, "munmap") && n >= 3) ret = munmap((void *)num(t[1]), num(t[2]));
  else if (!strcmp(v, "mprotect") && n >= 4) ret = mprotect((void *)num(t[1]), num(t[2]), prot_of(t[3]));
  else if (!strcmp(v, "mlock") && n >= 3) ret = mlock((void *)num(t[1]), num(t[2]));
  else if (!strcmp(v, "mremap") && n >= 4) {
    unsigned long old = num(t[1]), len = num(t[2]), at = num(t[3]);
    if (!at) {
      char *r = mmap(NULL, len + PMD, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (r == MAP_FAILED) { err = errno; ret = -1; goto done; }
      at = (((unsigned long)r + PMD - 1) & ~(PMD - 1)) + (old & (PMD - 1));
      if (at + len > (unsigned long)r + len + PMD) at -= PMD;
      munmap(r, len + PMD);
    }
    void *p = mremap((void *)old, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)at);
    ret = p == MAP_FAILED ? -1 : (long)p;
  } else if (!strcmp(v, "policy") && n >= 3) {
    int mode = (int)num(t[1]);
    unsigned long m = num(t[2]);
    ret = sys_set_mempolicy(mode, m ? &m : NULL, m ? 64 : 0);
    if (ret == 0) { cur_mode = mode; cur_mask = m; }
  } else if (!strcmp(v, "fork") && n >= 6) {
    // From fork() on, every write (glibc's own, after the fork returns) copies a
    // page: make those copies land on the harness node too.
    unsigned long own = 1UL << OWN_NODE;
    if (node_exists(OWN_NODE)) sys_set_mempolicy(MPOL_BIND, &own, 64);
    pid_t c = fork();
    if (c == 0) {
      int cf = open(t[1], O_RDONLY), rf = open(t[2], O_WRONLY);
      int r = set_identity((int)num(t[3]), (int)num(t[4]), (int)strtol(t[5], NULL, 0));
      // Copy-on-write copies of the runner's own pages must not land on the scenario's nodes.
      own_pages_to_own_node(0);
      char hello[64];
      snprintf(hello, sizeof hello, "READY %d %d\n", getpid(), r);
      if (write(rf, hello, strlen(hello)) < 0) _exit(1);
      worker_loop(cf, rf);
      _exit(0);
    }
    ret = c;
    if (c < 0) { err = errno; restore_policy(); }
    // fork made our own pages copy-on-write: copy them now, onto the harness node,
    // before our next write copies them onto a scenario node.
    else own_pages_to_own_node(0);
  } else if (!strcmp(v, "migrate_pages") && n >= 5) {
    memset(mask_a, 0, sizeof mask_a);
    memset(mask_b, 0, sizeof mask_b);
    mask_a[0] = num(t[3]);
    mask_b[0] = num(t[4]);
    ret = sys_migrate_pages((int)strtol(t[1], NULL, 0), num(t[2]), mask_a, mask_b);
  } else if (!strcmp(v, "move_pages") && n >= 5) {
    int cnt = parse_list(t[3], addr_buf, NULL);
    int nn = parse_list(t[4], NULL, nodes_buf);
    for (int i = 0; i < cnt; i++) status_buf[i] = UNWRITTEN;
    ret = sys_move_pages((int)strtol(t[1], NULL, 0), cnt, addr_buf, nn ? nodes_buf : NULL, status_buf,
                         (int)strtol(t[2], NULL, 0));
    if (ret < 0) err = errno;
    static char sl[MAXPAGES * 12];
    size_t o = 0;
    for (int i = 0; i < cnt && o + 12 < sizeof sl; i++) o += snprintf(sl + o, sizeof sl - o, "%s%d", i ? "," : "", status_buf[i]);
    sl[o] = 0;
    status_list = sl;
    goto done;
  } else if (!strcmp(v, "mbind") && n >= 7) {
    memset(mask_a, 0, sizeof mask_a);
    mask_a[0] = num(t[5]);
    ret = sys_mbind(num(t[1]), num(t[2]), (int)strtol(t[3], NULL, 0), mask_a, num(t[4]), (unsigned)num(t[6]));
  } else if (!strcmp(v, "pin")) ret = do_pin(t, n, &err, extra, sizeof extra);
  else if (!strcmp(v, "exit")) _exit(0);
  else { ret = -1; err = EINVAL; snprintf(extra, sizeof extra, "\"bad_command\":true"); }
  if (ret < 0 && !err) err = errno;
done:
  snprintf(reply, cap, "R %ld %d %s%s%s", ret, ret < 0 ? err : 0, status_list ? "S " : "X ", status_list ? status_list : "-",
           extra[0] ? " " : "");
  if (extra[0]) strncat(reply, extra, cap - strlen(reply) - 1);
}

// Buffered per descriptor: a FIFO line is read in few syscalls, and bytes after the newline wait for the next call.
static struct { char buf[4096]; size_t off, len; } rbuf[128];
static ssize_t read_line(int fd, char *buf, size_t cap, int timeout_ms) {
  size_t len = 0;
  long deadline = now_ms() + timeout_ms;
  if (fd < 0 || fd >= 128) return -1;
  for (;;) {
    while (rbuf[fd].off < rbuf[fd].len) {
      char c = rbuf[fd].buf[rbuf[fd].off++];
      if (c == '\n') { buf[len] = 0; return len; }
      if (len + 1 < cap) buf[len++] = c;
    }
    if (timeout_ms >= 0) {
      struct pollfd p = {fd, POLLIN, 0};
      long left = deadline - now_ms();
      if (left <= 0) { buf[len] = 0; return -2; }
      int r = poll(&p, 1, left > 200 ? 200 : (int)left);
      if (r < 0 && errno == EINTR) continue;
      if (r == 0) continue;
    }
    ssize_t r = read(fd, rbuf[fd].buf, sizeof rbuf[fd].buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    rbuf[fd].off = 0;
    rbuf[fd].len = r;
  }
}

static void worker_loop(int cmd, int rep) {
  static char line[LINE], reply[LINE];
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_fault;
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
  for (;;) {
    if (read_line(cmd, line, sizeof line, -1) < 0) _exit(0);
    do_cmd(line, reply, sizeof reply - 1);
    strcat(reply, "\n");
    for (size_t off = 0, len = strlen(reply); off < len;) {
      ssize_t w = write(rep, reply + off, len - off);
      if (w <= 0) _exit(1);
      off += w;
    }
  }
}

// ------------------------------------------------------------ coordinator side

struct worker { char name[64]; pid_t pid; int cmd, rep; };
struct mapping { int w; char name[64]; unsigned long addr, size; };
static struct worker W[MAXW];
static int nw;
static struct mapping M[MAXMAP];
static int nm;
static const char *case_name = "?";
static int case_dead; // a worker hung: stop driving this case
static char fifo_dir[64];

static int find_worker(const char *name) {
  for (int i = 0; i < nw; i++)
    if (!strcmp(W[i].name, name)) return i;
  return -1;
}

static struct mapping *find_map(int w, const char *name) {
  for (int i = nm - 1; i >= 0; i--)
    if (M[i].w == w && !strcmp(M[i].name, name)) return &M[i];
  return NULL;
}

static void add_map(int w, const char *name, unsigned long addr, unsigned long size) {
  if (nm < MAXMAP) {
    M[nm].w = w;
    snprintf(M[nm].name, sizeof M[nm].name, "%s", name);
    M[nm].addr = addr;
    M[nm].size = size;
    nm++;
  }
}

// PROC:MAP+OFF -> the address in that process; a raw number as is. Returns 0 and sets *ok=0 if unknown.
static unsigned long resolve(const char *ref, int *ok) {
  *ok = 1;
  if (ref[0] >= '0' && ref[0] <= '9') return strtoul(ref, NULL, 0);
  char buf[160];
  snprintf(buf, sizeof buf, "%s", ref);
  char *colon = strchr(buf, ':'), *plus;
  if (!colon) { *ok = 0; return 0; }
  *colon = 0;
  plus = strchr(colon + 1, '+');
  unsigned long off = 0;
  if (plus) { *plus = 0; off = strtoul(plus + 1, NULL, 0); }
  int w = find_worker(buf);
  struct mapping *m = w >= 0 ? find_map(w, colon + 1) : NULL;
  if (!m) { *ok = 0; return 0; }
  return m->addr + off;
}

static int resolve_pid(const char *spec) {
  if (!strcmp(spec, "self") || !strcmp(spec, "-")) return 0;
  if (!strncmp(spec, "pid:", 4)) return (int)strtol(spec + 4, NULL, 0);
  int w = find_worker(spec);
  return w >= 0 ? W[w].pid : -1;
}

static int alive(pid_t pid) {
  char p[64], buf[512];
  snprintf(p, sizeof p, "/proc/%d/stat", pid);
  if (read_file(p, buf, sizeof buf) <= 0) return 0;
  char *rp = strrchr(buf, ')');
  return rp && rp[2] != 'Z' && rp[2] != 'X';
}

// Sends one command to a worker (or runs it here for caller "-") and waits for the reply line.
static int call(int w, char *cmd, char *reply, size_t cap, int timeout_ms) {
  if (w < 0) { do_cmd(cmd, reply, cap); return 0; }
  size_t len = strlen(cmd);
  cmd[len] = '\n';
  ssize_t wr = write(W[w].cmd, cmd, len + 1);
  cmd[len] = 0;
  if (wr != (ssize_t)len + 1) return -1;
  long deadline = now_ms() + timeout_ms;
  for (;;) {
    ssize_t r = read_line(W[w].rep, reply, cap, 500);
    if (r >= 0) return 0;
    if (!alive(W[w].pid)) return -1;
    if (now_ms() > deadline) return -2;
  }
}

struct reply { long ret; int err; char *status; char *extra; };
static void parse_reply(char *s, struct reply *r) {
  memset(r, 0, sizeof *r);
  char *save;
  strtok_r(s, " ", &save); // "R"
  r->ret = strtol(strtok_r(NULL, " ", &save) ?: "-1", NULL, 0);
  r->err = atoi(strtok_r(NULL, " ", &save) ?: "0");
  char *kind = strtok_r(NULL, " ", &save);
  char *list = strtok_r(NULL, " ", &save);
  if (kind && !strcmp(kind, "S")) r->status = list;
  r->extra = save && *save ? save : NULL;
}

static int new_fifos(int idx, char *cp, char *rp, int *cfd, int *rfd) {
  snprintf(cp, 128, "%s/w%d.cmd", fifo_dir, idx);
  snprintf(rp, 128, "%s/w%d.rep", fifo_dir, idx);
  if (mkfifo(cp, 0666) < 0 || mkfifo(rp, 0666) < 0) return -errno;
  chmod(cp, 0666);
  chmod(rp, 0666);
  // O_RDWR never blocks on a FIFO, so neither side can wait forever for the other.
  *cfd = open(cp, O_RDWR);
  *rfd = open(rp, O_RDWR);
  return *cfd < 0 || *rfd < 0 ? -errno : 0;
}

static const char *VM[] = {"pgmigrate_success", "pgmigrate_fail", "thp_migration_success", "thp_migration_fail",
                           "thp_migration_split"};
#define NVM 5
static void read_vmstat(long *v) {
  static char *buf;
  const size_t sizeof_buf = 65536;
  if (!buf) buf = big(sizeof_buf);
  for (int i = 0; i < NVM; i++) v[i] = -1;
  if (read_file("/proc/vmstat", buf, sizeof_buf) <= 0) return;
  for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
    for (int i = 0; i < NVM; i++) {
      size_t k = strlen(VM[i]);
      if (!strncmp(l, VM[i], k) && l[k] == ' ') v[i] = atol(l + k + 1);
    }
}

static char *tracebuf;
#define TRACEBUF (4 << 20)
static int tracing_ok, kprobe_ok, flushprobe_ok, anonprobe_ok;

// What the caller's own probe hits add up to during one operation.
struct probe_counts {
  int flushes;        // try_to_unmap_flush() calls
  int anon_vma_refs;  // folio_get_anon_vma() calls that returned an anon_vma (took a reference)
};

static void trace_clear(void) { if (tracing_ok) { char p[128]; snprintf(p, sizeof p, "%s/trace", TR); write_file(p, ""); } }

// Cuts the trace into JSON: the mm_migrate_pages lines and the kretprobe lines, each tagged with its pid;
// counts the caller's calls of try_to_unmap_flush() (one per migrate_pages_batch() round that reaches its move
// phase, one per THP split on v6.8+) and the references folio_get_anon_vma() took (a NULL return takes none).
static void trace_collect(pid_t caller, char *out, size_t cap, char *kout, size_t kcap, struct probe_counts *pc) {
  size_t o = 0, ko = 0;
  out[0] = kout[0] = 0;
  pc->flushes = pc->anon_vma_refs = 0;
  if (!tracing_ok) return;
  char p[128];
  snprintf(p, sizeof p, "%s/trace", TR);
  if (!tracebuf) tracebuf = big(TRACEBUF);
  if (read_file(p, tracebuf, TRACEBUF) < 0) return;
  for (char *l = strtok(tracebuf, "\n"); l; l = strtok(NULL, "\n")) {
    if (l[0] == '#') continue;
    char *ev = strstr(l, " mm_migrate_pages: "), *kr = strstr(l, " r_migrate_pages: ("), *fl = strstr(l, " p_unmap_flush: (");
    char *av = strstr(l, " r_anon_vma: (");
    if (!ev && !kr && !fl && !av) continue;
    // "  comm-PID  [cpu] ..." : the pid follows the last '-' of the first word.
    char *s = l;
    while (*s == ' ') s++;
    char *e = s;
    while (*e && *e != '[') e++;
    while (e > s && e[-1] == ' ') e--;
    char *dash = e;
    while (dash > s && dash[-1] != '-') dash--;
    int pid = atoi(dash);
    int own = caller <= 0 || pid == caller;
    if (fl) {
      pc->flushes += own;
      continue;
    }
    if (av) {
      char *rv = strstr(av, "ret=");
      pc->anon_vma_refs += own && rv && strtoull(rv + 4, NULL, 0) != 0;
      continue;
    }
    if (ev) {
      o += snprintf(out + o, cap - o, "%s{\"pid\":%d,\"own\":%s", o ? "," : "", pid, own ? "true" : "false");
      char *kv = ev + strlen(" mm_migrate_pages: ");
      for (char *save, *f = strtok_r(kv, " ", &save); f && o < cap - 64; f = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(f, '=');
        if (!eq) continue;
        *eq = 0;
        const char *key = !strncmp(f, "nr_", 3) ? f + 3 : f;
        int numeric = eq[1] >= '0' && eq[1] <= '9';
        o += snprintf(out + o, cap - o, numeric ? ",\"%s\":%s" : ",\"%s\":\"%s\"", key, eq + 1);
      }
      o += snprintf(out + o, cap - o, "}");
    } else {
      char *from = kr + strlen(" r_migrate_pages: (");
      char *plus = strpbrk(from, "+ ");
      char fn[96] = "";
      if (plus) snprintf(fn, sizeof fn, "%.*s", (int)(plus - from), from);
      char *rv = strstr(kr, "ret=");
      ko += snprintf(kout + ko, kcap - ko, "%s{\"pid\":%d,\"own\":%s,\"ret\":%ld,\"from\":\"%s\"}", ko ? "," : "", pid,
                     own ? "true" : "false", rv ? strtol(rv + 4, NULL, 0) : 0L, fn);
    }
    if (o >= cap - 256 || ko >= kcap - 256) break;
  }
}

static char *status_json(char *list, char *out, size_t cap) {
  size_t o = snprintf(out, cap, "[");
  int first = 1;
  if (list)
    for (char *save, *p = strtok_r(list, ",", &save); p && o < cap - 32; p = strtok_r(NULL, ",", &save)) {
      int v = atoi(p);
      if (v == UNWRITTEN) o += snprintf(out + o, cap - o, "%s\"unwritten\"", first ? "" : ",");
      else if (v < 0) o += snprintf(out + o, cap - o, "%s\"-%s\"", first ? "" : ",", ename(-v));
      else o += snprintf(out + o, cap - o, "%s%d", first ? "" : ",", v);
      first = 0;
    }
  snprintf(out + o, cap - o, "]");
  return out;
}

static void bad(int line, const char *verb, const char *why) {
  emit("{\"t\":\"act\",\"case\":\"%s\",\"line\":%d,\"verb\":\"%s\",\"ret\":-1,\"errno\":%d,\"errname\":\"EINVAL\",\"error\":\"%s\"}",
       case_name, line, verb, EINVAL, why);
}

static void start_worker(int line, char **t, int n, int forked) {
  // proc P UID NICE CPUNODE | fork P PARENT UID NICE CPUNODE
  int base = forked ? 4 : 3;
  if (n < base + 3 || nw >= MAXW) { bad(line, t[1], "bad proc/fork line"); return; }
  int idx = nw, parent = forked ? find_worker(t[3]) : -1;
  if (forked && parent < 0) { bad(line, t[1], "fork of an unknown process"); return; }
  char cp[128], rp[128], reply[256];
  int cfd = -1, rfd = -1, e = new_fifos(idx, cp, rp, &cfd, &rfd);
  if (e < 0) { bad(line, t[1], "mkfifo failed"); return; }
  int uid = (int)num(t[base]), nice = (int)num(t[base + 1]), cpunode = (int)strtol(t[base + 2], NULL, 0);
  pid_t pid;
  if (!forked) {
    pid = fork();
    if (pid == 0) {
      int cf = open(cp, O_RDONLY), rf = open(rp, O_WRONLY);
      own_pages_to_own_node(1); // before dropping privileges: moving shared text needs MOVE_ALL
      int r = set_identity(uid, nice, cpunode);
      char hello[64];
      snprintf(hello, sizeof hello, "READY %d %d\n", getpid(), r);
      if (write(rf, hello, strlen(hello)) < 0) _exit(1);
      worker_loop(cf, rf);
      _exit(0);
    }
  } else {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "fork %s %s %d %d %d", cp, rp, uid, nice, cpunode);
    struct reply r;
    if (call(parent, cmd, reply, sizeof reply, OP_TIMEOUT_MS) < 0) { bad(line, t[1], "parent did not answer"); return; }
    parse_reply(reply, &r);
    pid = (pid_t)r.ret;
  }
  if (pid < 0) { bad(line, t[1], "fork failed"); return; }
  snprintf(W[idx].name, sizeof W[idx].name, "%s", t[2]);
  W[idx].pid = pid;
  W[idx].cmd = cfd;
  W[idx].rep = rfd;
  nw++;
  ssize_t got = read_line(rfd, reply, sizeof reply, OP_TIMEOUT_MS);
  int ready_err = 0;
  if (got < 0 || sscanf(reply, "READY %*d %d", &ready_err) != 1) ready_err = -ETIMEDOUT;
  if (forked) // the child inherits every mapping of its parent at its address
    for (int i = 0, k = nm; i < k; i++)
      if (M[i].w == parent) add_map(idx, M[i].name, M[i].addr, M[i].size);
  emit("{\"t\":\"act\",\"case\":\"%s\",\"line\":%d,\"verb\":\"%s\",\"proc\":\"%s\",\"pid\":%d,\"ret\":%d,\"errno\":%d,\"errname\":\"%s\"}",
       case_name, line, t[1], t[2], pid, ready_err < 0 ? -1 : 0, -ready_err, ename(-ready_err));
}

static int coordinator(const char *file) {
  const size_t TEXT = 1 << 20, TR_CAP = 1 << 20, KR_CAP = 1 << 16, ST_CAP = MAXPAGES * 16;
  char *text = big(TEXT), *cmd = big(LINE), *reply = big(LINE), *tr = big(TR_CAP), *kr = big(KR_CAP), *st = big(ST_CAP);
  ssize_t len = read_file(file, text, TEXT);
  if (len < 0) { emit("{\"t\":\"error\",\"file\":\"%s\",\"error\":\"cannot read\"}", file); return 1; }
  setpgid(0, 0);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  unsigned long own = 1UL << OWN_NODE;
  if (node_exists(OWN_NODE)) sys_set_mempolicy(1 /* MPOL_PREFERRED */, &own, 64);
  snprintf(fifo_dir, sizeof fifo_dir, "/tmp/mt.%d", getpid());
  mkdir(fifo_dir, 0777);
  chmod(fifo_dir, 0777);
  char *lines[8192];
  int nl = 0;
  for (char *save, *l = strtok_r(text, "\n", &save); l && nl < 8192; l = strtok_r(NULL, "\n", &save)) lines[nl++] = l;
  for (int i = 0; i < nl && !case_dead; i++) {
    char *hash = strchr(lines[i], '#');
    if (hash) *hash = 0;
    char *t[64];
    int n = split(lines[i], t, 64);
    if (n < 2) continue;
    int line = atoi(t[0]);
    const char *v = t[1];
    if (!strcmp(v, "case")) {
      static char name[256];
      snprintf(name, sizeof name, "%s", n > 2 ? t[2] : file);
      case_name = name;
      emit("{\"t\":\"case\",\"case\":\"%s\",\"file\":\"%s\",\"pid\":%d}", case_name, file, getpid());
    } else if (!strcmp(v, "hugepages") && n >= 4) {
      char p[128], val[32], back[32] = "";
      snprintf(p, sizeof p, "/sys/devices/system/node/node%d/hugepages/hugepages-2048kB/nr_hugepages", atoi(t[2]));
      snprintf(val, sizeof val, "%lu", num(t[3]));
      int e = write_file(p, val);
      read_file(p, back, sizeof back);
      emit("{\"t\":\"act\",\"case\":\"%s\",\"line\":%d,\"verb\":\"hugepages\",\"node\":%d,\"ret\":%ld,\"errno\":%d,\"errname\":\"%s\"}",
           case_name, line, atoi(t[2]), atol(back), -e, ename(-e));
    } else if (!strcmp(v, "proc")) start_worker(line, t, n, 0);
    else if (!strcmp(v, "fork")) start_worker(line, t, n, 1);
    else if (!strcmp(v, "numamaps") && n >= 3) {
      // Debugging aid: the process's mappings that hold pages on scenario nodes.
      int w = find_worker(t[2]);
      char p[64];
      snprintf(p, sizeof p, "/proc/%d/numa_maps", w >= 0 ? W[w].pid : getpid());
      if (read_file(p, tr, TR_CAP) > 0)
        for (char *save, *l = strtok_r(tr, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
          if (strstr(l, " N0=") || strstr(l, " N1="))
            emit("{\"t\":\"numamaps\",\"case\":\"%s\",\"line\":%d,\"proc\":\"%s\",\"text\":\"%s\"}", case_name, line, t[2], l);
    } else if (!strcmp(v, "page") && n >= 6) {
      int ok, w = find_worker(t[3]);
      unsigned long a = resolve(t[4], &ok), cnt = num(t[5]);
      if (!ok || w < 0 || cnt == 0 || cnt > MAXPAGES) { bad(line, v, "unknown process or mapping"); continue; }
      for (unsigned long k = 0; k < cnt; k++) { addr_buf[k] = (void *)(a + k * PAGE); status_buf[k] = UNWRITTEN; }
      long r = sys_move_pages(W[w].pid, cnt, addr_buf, NULL, status_buf, 0);
      size_t o = 0;
      for (unsigned long k = 0; k < cnt && o < ST_CAP - 32; k++) o += snprintf(st + o, ST_CAP - o, "%s%d", k ? "," : "", status_buf[k]);
      st[o] = 0;
      char js[MAXPAGES * 12];
      emit("{\"t\":\"page\",\"case\":\"%s\",\"line\":%d,\"op\":%d,\"proc\":\"%s\",\"addr\":%lu,\"ret\":%ld,\"errno\":%d,\"nodes\":%s}",
           case_name, line, atoi(t[2]), t[3], a, r, r < 0 ? errno : 0, status_json(st, js, sizeof js));
    } else if (!strcmp(v, "op") && n >= 4) {
      const char *kind = t[2];
      int w = strcmp(t[3], "-") ? find_worker(t[3]) : -1;
      if (strcmp(t[3], "-") && w < 0) { bad(line, kind, "unknown caller"); continue; }
      // Build the worker command with every name resolved to a number.
      size_t o = snprintf(cmd, LINE, "%s", kind);
      int ok = 1;
      if (!strcmp(kind, "migrate_pages") && n >= 8) {
        o += snprintf(cmd + o, LINE - o, " %d %s %s %s", resolve_pid(t[4]), t[5], t[6], t[7]);
      } else if (!strcmp(kind, "move_pages") && n >= 7) {
        o += snprintf(cmd + o, LINE - o, " %d %s ", resolve_pid(t[4]), t[5]);
        int k = 0;
        for (char *save, *a = strtok_r(t[6], ",", &save); a && ok; a = strtok_r(NULL, ",", &save), k++)
          o += snprintf(cmd + o, LINE - o, "%s0x%lx", k ? "," : "", resolve(a, &ok));
        o += snprintf(cmd + o, LINE - o, " %s", n > 7 ? t[7] : "-");
      } else if (!strcmp(kind, "mbind") && n >= 10) {
        o += snprintf(cmd + o, LINE - o, " 0x%lx %s %s %s %s %s", resolve(t[4], &ok), t[5], t[6], t[7], t[8], t[9]);
      } else if (!strcmp(kind, "pin") && n >= 7) {
        o += snprintf(cmd + o, LINE - o, " 0x%lx %s %s", resolve(t[4], &ok), t[5], t[6]);
      } else ok = 0;
      if (!ok) { bad(line, kind, "bad operation line or unknown mapping"); continue; }
      long before[NVM], after[NVM];
      trace_clear();
      read_vmstat(before);
      long t0 = now_ms();
      int rc = call(w, cmd, reply, LINE, OP_TIMEOUT_MS);
      long ms = now_ms() - t0;
      read_vmstat(after);
      struct probe_counts pc;
      trace_collect(w >= 0 ? W[w].pid : getpid(), tr, TR_CAP, kr, KR_CAP, &pc);
      char fl[96] = "";
      size_t flo = 0;
      if (flushprobe_ok) flo += snprintf(fl + flo, sizeof fl - flo, ",\"unmap_flush\":%d", pc.flushes);
      if (anonprobe_ok) snprintf(fl + flo, sizeof fl - flo, ",\"anon_vma_refs\":%d", pc.anon_vma_refs);
      char vm[512];
      size_t vo = snprintf(vm, sizeof vm, "{");
      for (int k = 0; k < NVM; k++)
        if (before[k] >= 0) vo += snprintf(vm + vo, sizeof vm - vo, "%s\"%s\":%ld", vo > 1 ? "," : "", VM[k], after[k] - before[k]);
      snprintf(vm + vo, sizeof vm - vo, "}");
      if (rc < 0) {
        emit("{\"t\":\"op\",\"case\":\"%s\",\"line\":%d,\"kind\":\"%s\",\"%s\":true,\"vmstat\":%s,\"trace\":[%s],\"kret\":[%s],\"ms\":%ld%s}",
             case_name, line, kind, rc == -2 ? "timeout" : "died", vm, tr, kr, ms, fl);
        case_dead = 1;
        break;
      }
      struct reply r;
      parse_reply(reply, &r);
      char js[MAXPAGES * 12];
      emit("{\"t\":\"op\",\"case\":\"%s\",\"line\":%d,\"kind\":\"%s\",\"ret\":%ld,\"errno\":%d,\"errname\":\"%s\",\"status\":%s,"
           "\"vmstat\":%s,\"trace\":[%s],\"kret\":[%s],\"ms\":%ld%s%s%s}",
           case_name, line, kind, r.ret, r.err, ename(r.err), r.status ? status_json(r.status, js, sizeof js) : "null", vm, tr, kr,
           ms, fl, r.extra ? "," : "", r.extra ? r.extra : "");
    } else {
      // Setup actions: PROC first, names resolved, then run in that worker.
      if (n < 3) { bad(line, v, "missing process"); continue; }
      int w = find_worker(t[2]);
      if (w < 0) { bad(line, v, "unknown process"); continue; }
      int ok = 1;
      size_t o = snprintf(cmd, LINE, "%s", v);
      const char *newmap = NULL;
      if (!strcmp(v, "mmap")) {
        for (int k = 4; k < n; k++) o += snprintf(cmd + o, LINE - o, " %s", t[k]);
      } else if (!strcmp(v, "policy")) {
        for (int k = 3; k < n; k++) o += snprintf(cmd + o, LINE - o, " %s", t[k]);
      } else if (!strcmp(v, "mremap") && n >= 7) {
        newmap = t[5];
        unsigned long at = strcmp(t[6], "-") ? num(t[6]) : 0;
        o += snprintf(cmd + o, LINE - o, " 0x%lx %s 0x%lx", resolve(t[3], &ok), t[4], at);
      } else if (n >= 5) {
        o += snprintf(cmd + o, LINE - o, " 0x%lx", resolve(t[3], &ok));
        for (int k = 4; k < n; k++) o += snprintf(cmd + o, LINE - o, " %s", t[k]);
      } else ok = 0;
      if (!ok) { bad(line, v, "bad line or unknown mapping"); continue; }
      int rc = call(w, cmd, reply, LINE, OP_TIMEOUT_MS);
      if (rc < 0) {
        emit("{\"t\":\"act\",\"case\":\"%s\",\"line\":%d,\"verb\":\"%s\",\"%s\":true}", case_name, line, v,
             rc == -2 ? "timeout" : "died");
        case_dead = 1;
        break;
      }
      struct reply r;
      parse_reply(reply, &r);
      if (!strcmp(v, "mmap") && r.ret != -1) add_map(w, t[3], (unsigned long)r.ret, num(t[6]));
      if (newmap && r.ret != -1) add_map(w, newmap, (unsigned long)r.ret, num(t[4]));
      emit("{\"t\":\"act\",\"case\":\"%s\",\"line\":%d,\"verb\":\"%s\",\"proc\":\"%s\",\"ret\":%ld,\"errno\":%d,\"errname\":\"%s\"%s%s}",
           case_name, line, v, t[2], r.ret, r.err, ename(r.err), r.extra ? "," : "", r.extra ? r.extra : "");
    }
  }
  emit("{\"t\":\"end\",\"case\":\"%s\",\"ok\":%s}", case_name, case_dead ? "false" : "true");
  return case_dead ? 2 : 0;
}

// ------------------------------------------------------------ top level

// Defines the kprobe `name` in the migtrace group (replacing a stale one) and enables it; 1 if it is set.
static int add_probe(const char *name, const char *def) {
  char p[160], line[200];
  snprintf(p, sizeof p, "%s/kprobe_events", TR);
  snprintf(line, sizeof line, "-:migtrace/%s\n", name);
  append_file(p, line);
  snprintf(line, sizeof line, "%s\n", def);
  if (append_file(p, line) != 0) return 0;
  snprintf(p, sizeof p, "%s/events/migtrace/%s/enable", TR, name);
  return write_file(p, "1") == 0;
}
static void setup_machine(void) {
  // Nothing may migrate pages behind the scenario's back, and THP only where asked for.
  write_file("/proc/sys/kernel/numa_balancing", "0");
  write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
  write_file("/sys/kernel/mm/transparent_hugepage/defrag", "madvise");
  write_file("/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs", "3600000");
  write_file("/sys/kernel/mm/transparent_hugepage/khugepaged/alloc_sleep_millisecs", "3600000");
  write_file("/proc/sys/vm/compaction_proactiveness", "0");
  char p[160];
  snprintf(p, sizeof p, "%s/events/migrate/mm_migrate_pages/enable", TR);
  tracing_ok = write_file(p, "1") == 0;
  kprobe_ok = add_probe("r_migrate_pages", "r:migtrace/r_migrate_pages migrate_pages ret=$retval:s32");
  // A probe of its own, so that a kernel without the symbol keeps the other two.
  flushprobe_ok = add_probe("p_unmap_flush", "p:migtrace/p_unmap_flush try_to_unmap_flush");
  // Every anon_vma reference migration takes goes through folio_get_anon_vma() (migrate_folio_unmap,
  // unmap_and_move_huge_page, the THP split); it returns NULL, taking none, for a folio that is not mapped.
  anonprobe_ok = add_probe("r_anon_vma", "r:migtrace/r_anon_vma folio_get_anon_vma ret=$retval:x64");
  snprintf(p, sizeof p, "%s/buffer_size_kb", TR);
  write_file(p, "4096");
  snprintf(p, sizeof p, "%s/tracing_on", TR);
  write_file(p, "1");
}

static void movable_per_node(char *out, size_t cap) {
  const size_t sizeof_buf = 1 << 18;
  char *buf = big(sizeof_buf);
  long mv[8] = {0};
  int node = -1, in_movable = 0;
  if (read_file("/proc/zoneinfo", buf, sizeof_buf) > 0)
    for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
      if (!strncmp(l, "Node ", 5)) {
        node = atoi(l + 5);
        in_movable = strstr(l, "Movable") != NULL;
      } else if (in_movable && node >= 0 && node < 8 && strstr(l, " present ")) mv[node] = atol(strstr(l, " present ") + 9);
    }
  snprintf(out, cap, "[%ld,%ld,%ld]", mv[0], mv[1], mv[2]);
}

// Pages of this process per node, from numa_maps (checks that the runner kept out of nodes 0 and 1).
static void own_pages_per_node(char *out, size_t cap) {
  const size_t sizeof_buf = 1 << 16;
  char *buf = big(sizeof_buf);
  long c[8] = {0};
  if (read_file("/proc/self/numa_maps", buf, sizeof_buf) > 0)
    for (char *p = buf; (p = strstr(p, " N")); p += 2) {
      int nd = atoi(p + 2);
      char *eq = strchr(p, '=');
      if (eq && nd >= 0 && nd < 8 && eq - p < 6) c[nd] += atol(eq + 1);
    }
  snprintf(out, cap, "[%ld,%ld,%ld]", c[0], c[1], c[2]);
}

int main(int argc, char **argv) {
  int fd = open("/dev/ttyS1", O_WRONLY | O_NOCTTY | O_NONBLOCK);
  if (fd >= 0) { fcntl(fd, F_SETFL, 0); outfd = fd; } // a second serial port: results never mix with kernel messages
  if (argc > 1 && !strcmp(argv[1], "--stdout")) { outfd = 1; argv++; argc--; }
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  setup_machine();
  own_pages_to_own_node(1);
  struct utsname u;
  uname(&u);
  char mv[64], own[64];
  movable_per_node(mv, sizeof mv);
  own_pages_per_node(own, sizeof own);
  emit("@@MIGTRACE-BEGIN");
  long vm[NVM];
  read_vmstat(vm);
  emit("{\"t\":\"boot\",\"uname\":\"%s\",\"nodes\":[%d,%d,%d],\"event\":%s,\"kprobe\":%s,\"flushprobe\":%s,\"anonprobe\":%s,\"movable\":%s,\"own_pages\":%s,\"vmstat\":%s}",
       u.release, node_exists(0), node_exists(1), node_exists(2), tracing_ok ? "true" : "false", kprobe_ok ? "true" : "false",
       flushprobe_ok ? "true" : "false", anonprobe_ok ? "true" : "false", mv, own,
       vm[0] >= 0 ? "true" : "false");
  for (int i = 1; i < argc; i++) {
    pid_t c = fork();
    if (c == 0) _exit(coordinator(argv[i]));
    setpgid(c, c);
    int st = 0;
    long deadline = now_ms() + CASE_TIMEOUT_S * 1000L;
    while (waitpid(c, &st, WNOHANG) == 0) {
      if (now_ms() > deadline) {
        emit("{\"t\":\"end\",\"file\":\"%s\",\"ok\":false,\"timeout\":true}", argv[i]);
        kill(-c, SIGKILL);
        waitpid(c, &st, 0);
        break;
      }
      usleep(20000);
    }
    // The case's workers (reparented to us) die with it; then its huge pages go back.
    kill(-c, SIGKILL);
    long reap_deadline = now_ms() + 5000;
    while (now_ms() < reap_deadline) {
      pid_t r = waitpid(-1, &st, WNOHANG);
      if (r < 0) break;
      if (r == 0) usleep(10000);
    }
    for (int nd = 0; nd < 2; nd++) {
      char p[128];
      snprintf(p, sizeof p, "/sys/devices/system/node/node%d/hugepages/hugepages-2048kB/nr_hugepages", nd);
      write_file(p, "0");
    }
  }
  emit("@@MIGTRACE-END");
  return 0;
}
