/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * agentsight_events.h - the one definition of every capture record.
 *
 * Shared by the BPF collectors (kernel side), the helper (which forwards the
 * records unchanged inside socket frames) and app/core (which decodes them).
 * Rules, in the spirit of Tetragon's msg_common and Falco's schema:
 *   - every record starts with struct as_event_header; header.size is the whole
 *     record (header + fixed part + variable tail), not rounded;
 *   - fixed-width types only, fields aligned by hand (no packed structs); the
 *     layout is pinned by static_asserts in tests/core/tst_wire_layout.cpp;
 *   - type numbers are never reused; new types get new numbers; a layout change
 *     of an existing type bumps AS_SCHEMA_MAJOR (see docs/PROTOCOL.md).
 * Variable data (paths, argv, TLS bytes) follows the fixed part in the order the
 * *_len fields are declared. Strings are NOT NUL-terminated; use the lengths.
 */
#ifndef AGENTSIGHT_EVENTS_H
#define AGENTSIGHT_EVENTS_H

#ifdef __bpf__
/* vmlinux.h provides __u8.. __u64 for the BPF side. */
#elif defined(__linux__)
/* Take the kernel UAPI typedefs: libbpf.h, <sys/stat.h> (statx) and other
 * system headers include them, and a second, different typedef of __u64
 * (uint64_t is unsigned long, theirs unsigned long long) would not compile. */
#include <linux/types.h>
#else
#include <stdint.h>
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int32_t __s32;
typedef int64_t __s64;
#endif

#define AS_SCHEMA_MAJOR 1
#define AS_SCHEMA_MINOR 0

/* Record types. Never renumber; append only. */
enum as_event_type {
	AS_EV_NONE = 0,
	/* process collector */
	AS_EV_PROC_EXEC = 1,
	AS_EV_PROC_FORK = 2,
	AS_EV_PROC_EXIT = 3,
	AS_EV_PROC_CHDIR = 4,
	AS_EV_PROC_MMAP_EXEC = 5, /* an executable file mapping: libraries, dlopen */
	/* file collector */
	AS_EV_FILE_OPEN = 10,
	AS_EV_FILE_UNLINK = 11,
	AS_EV_FILE_RENAME = 12,
	AS_EV_FILE_MKDIR = 13,
	AS_EV_FILE_CHMOD = 14,
	AS_EV_FILE_IO = 15, /* bytes read/written on one fd since the last flush */
	/* network collector */
	AS_EV_NET_CONNECT = 20,
	AS_EV_NET_ACCEPT = 21,
	AS_EV_NET_BIND = 22,
	AS_EV_NET_LISTEN = 23,
	AS_EV_NET_DNS = 24,
	AS_EV_NET_TCP_STATE = 25,
	/* TLS collector */
	AS_EV_TLS_DATA = 30,
	/* made by the helper, not the kernel */
	AS_EV_LOST = 40,       /* N records of one source were dropped */
	AS_EV_TLS_ATTACH = 41, /* result of attaching TLS probes to a binary for a pid */
	AS_EV_TARGET = 42,     /* a target was added/removed/ended */
	AS_EV_TYPE_MAX = 64
};

/* Sources: each has its own gap-free sequence counter (header.seq), so a
 * client can prove completeness: seq gaps == counted drops. */
enum as_source {
	AS_SRC_PROC = 0,
	AS_SRC_FILE = 1,
	AS_SRC_NET = 2,
	AS_SRC_TLS = 3,
	AS_SRC_HELPER = 4,
	AS_SRC_COUNT = 5
};

/* header.flags */
#define AS_F_TRUNCATED 0x0001 /* some variable data was cut; see the record */
#define AS_F_SNAPSHOT 0x0002  /* made from /proc at attach time, not seen live;
                               * start_ns then has clock-tick (10 ms) precision */

struct as_event_header {
	__u16 type;     /* enum as_event_type */
	__u16 flags;    /* AS_F_* */
	__u32 size;     /* total record bytes, header included */
	__u64 ktime_ns; /* CLOCK_BOOTTIME; see the wall-clock anchor in the hello frame */
	__u64 seq;      /* per-source sequence number, starts at 1 */
	__u32 tgid;     /* global (root pid namespace) process id */
	__u32 tid;      /* global thread id */
};

/* Limits. Why these numbers: argv of real agent commands (long bash -c
 * scripts) routinely exceed 1 KiB; 8 KiB keeps the verifier happy and fits a
 * per-CPU scratch buffer. Paths are capped at 4 KiB = PATH_MAX. */
#define AS_MAX_ARGV 8192
#define AS_MAX_PATH 4096
#define AS_MAX_COMM 16
#define AS_TLS_CHUNK 16384 /* bytes of TLS plaintext per AS_EV_TLS_DATA record */
#define AS_MAX_DNS 512

/* ---- process ---- */

struct as_proc_exec {
	struct as_event_header h;
	__u64 start_ns;     /* task start time (boot ns): with tgid, the pid-reuse-safe key */
	__u32 ppid;         /* tgid of the real parent */
	__u32 uid;
	__u32 old_tid;      /* tid that called execve (a non-leader thread may exec) */
	__u32 argc;         /* arguments in argv (as counted by the kernel) */
	__u16 filename_len; /* bprm->filename */
	__u16 argv_len;     /* NUL-separated argv bytes */
	__u16 cwd_len;      /* absolute cwd */
	__u16 trunc;        /* bit0 argv cut, bit1 cwd cut, bit2 filename cut */
	char comm[AS_MAX_COMM];
	/* char filename[filename_len]; char argv[argv_len]; char cwd[cwd_len]; */
};

#define AS_FORK_THREAD 0x1 /* clone of a thread inside the same process */

struct as_proc_fork {
	struct as_event_header h; /* tgid/tid: the parent */
	__u64 child_start_ns;
	__u32 child_tgid;
	__u32 child_tid;
	__u32 fork_flags; /* AS_FORK_* */
	__u32 _pad;
	char comm[AS_MAX_COMM];
};

struct as_proc_exit {
	struct as_event_header h;
	__u64 start_ns;
	__s32 exit_code;  /* (status >> 8) & 0xff when exited normally */
	__s32 signal;     /* terminating signal or 0 */
	__u32 is_process; /* 1 = last thread of the process, 0 = a thread ended */
	__u32 _pad;
};

struct as_proc_chdir {
	struct as_event_header h;
	__s32 result;
	__u16 path_len; /* absolute new cwd when result == 0, else the raw argument */
	__u16 _pad;
	/* char path[path_len]; */
};

struct as_proc_mmap_exec {
	struct as_event_header h;
	__u64 ino;
	__u32 dev;
	__u16 path_len;
	__u16 _pad;
	/* char path[path_len]; */
};

/* ---- file ---- */

struct as_file_open {
	struct as_event_header h;
	__s32 dirfd;   /* as passed (AT_FDCWD = -100) */
	__s32 result;  /* fd, or -errno */
	__u32 flags;   /* O_* */
	__u32 mode;
	__u16 path_len;     /* resolved absolute path (from the opened file, or cwd/dirfd + raw) */
	__u16 raw_len;      /* the path argument as the process passed it */
	__u16 trunc;        /* bit0 path cut, bit1 raw cut */
	__u16 _pad;
	/* char path[path_len]; char raw[raw_len]; */
};

/* unlink, mkdir, chmod share one layout; rename has two paths. */
struct as_file_op {
	struct as_event_header h;
	__s32 dirfd;
	__s32 result;  /* 0 or -errno */
	__u32 mode;    /* mkdir/chmod mode; unlink: AT_REMOVEDIR flag */
	__u16 path_len;  /* raw path argument */
	__u16 path2_len; /* rename: new path */
	/* char path[path_len]; char path2[path2_len]; */
};

#define AS_IO_CLOSED 0x1 /* flushed because the fd was closed */
#define AS_IO_EXIT 0x2   /* flushed because the process exited */
#define AS_IO_PERIODIC 0x4

struct as_file_io {
	struct as_event_header h;
	__s32 fd;
	__u32 io_flags;   /* AS_IO_* */
	__u64 bytes_read;  /* since the previous flush of this fd */
	__u64 bytes_written;
	__u32 reads;
	__u32 writes;
};

/* ---- network ---- */

struct as_sockaddr {
	__u16 family; /* AF_INET, AF_INET6, AF_UNIX */
	__u16 port;   /* host byte order */
	__u32 _pad;
	__u8 addr[16];  /* v4 in the first 4 bytes */
	char unix_path[108];
	__u32 _pad2;
};

struct as_net_conn {
	struct as_event_header h;
	__s32 fd;     /* socket fd (accept: the new fd = result) */
	__s32 result; /* 0/fd or -errno; -EINPROGRESS is common for non-blocking */
	__u32 sock_type; /* SOCK_STREAM, SOCK_DGRAM... when known, else 0 */
	__u32 backlog;   /* listen only */
	struct as_sockaddr addr; /* connect: remote; bind: local; accept: remote peer */
};

struct as_net_dns {
	struct as_event_header h;
	__s32 fd;
	__u16 len;   /* bytes of the DNS message that follow */
	__u16 _pad;
	struct as_sockaddr server;
	/* __u8 msg[len]; raw query, decoded by the app */
};

struct as_net_tcp_state {
	struct as_event_header h;
	__u64 skaddr; /* kernel socket identity, stable for the socket's life */
	__s32 oldstate;
	__s32 newstate;
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u16 _pad;
	__u8 saddr[16];
	__u8 daddr[16];
};

/* ---- TLS ---- */

enum as_tls_dir { AS_TLS_WRITE = 0, AS_TLS_READ = 1 };
enum as_tls_api {
	AS_TLS_API_SSL_READ = 0,
	AS_TLS_API_SSL_WRITE = 1,
	AS_TLS_API_SSL_READ_EX = 2,
	AS_TLS_API_SSL_WRITE_EX = 3,
	AS_TLS_API_AEAD_OPEN = 4, /* record layer (rustls/aws-lc), see issue 6 */
	AS_TLS_API_AEAD_SEAL = 5,
	AS_TLS_API_GO_READ = 6,
	AS_TLS_API_GO_WRITE = 7
};

/* One SSL_read/SSL_write call delivers total_len bytes as ceil(len/16K)
 * records sharing call_id; offset says where each chunk goes. Bytes beyond the
 * per-call cap are not copied: the last chunk says how many in `dropped`. */
struct as_tls_data {
	struct as_event_header h;
	__u64 conn;      /* connection identity within tgid: the SSL* (or ctx) pointer */
	__u64 call_id;   /* unique per call within the TLS source */
	__s32 fd;        /* socket fd if a nested syscall revealed it, else -1 */
	__u8 dir;        /* enum as_tls_dir */
	__u8 api;        /* enum as_tls_api */
	__u16 _pad;
	__u32 total_len; /* bytes the call returned */
	__u32 offset;    /* offset of this chunk within the call */
	__u32 len;       /* bytes in this chunk */
	__u32 dropped;   /* bytes of this call not captured (beyond the cap); last chunk only */
	/* __u8 data[len]; */
};

/* ---- made by the helper ---- */

struct as_lost {
	struct as_event_header h;
	__u32 source;     /* enum as_source whose records were lost */
	__u32 reason;     /* 1 = ring buffer full, 2 = client too slow (helper queue full) */
	__u64 count;      /* records lost since the previous AS_EV_LOST of this source+reason */
};

enum as_attach_status { AS_ATTACH_OK = 0, AS_ATTACH_NO_TLS = 1, AS_ATTACH_FAILED = 2 };

struct as_tls_attach {
	struct as_event_header h; /* tgid: the process probed */
	__u32 status;    /* enum as_attach_status */
	__s32 error;     /* -errno on failure */
	__u32 probes;    /* uprobes attached */
	__u16 path_len;
	__u16 strategy_len;
	/* char path[path_len]; char strategy[strategy_len]; ("symbols", ...) */
};

enum as_target_kind { AS_TARGET_PID = 1, AS_TARGET_COMMAND = 2, AS_TARGET_COMM = 3 };
enum as_target_op { AS_TARGET_ADDED = 1, AS_TARGET_REMOVED = 2, AS_TARGET_EXITED = 3 };

struct as_target {
	struct as_event_header h; /* tgid: the target's pid (0 for comm targets) */
	__u32 kind;
	__u32 op;
	__s32 exit_status; /* AS_TARGET_EXITED: raw wait status */
	__u16 name_len;
	__u16 _pad;
	/* char name[name_len]; comm name or command line */
};

#ifndef __bpf__
/* Stable lower-case names of record types (JSON lines, reports, the app). */
static inline const char *as_event_type_name(unsigned type)
{
	switch (type) {
	case AS_EV_PROC_EXEC: return "exec";
	case AS_EV_PROC_FORK: return "fork";
	case AS_EV_PROC_EXIT: return "exit";
	case AS_EV_PROC_CHDIR: return "chdir";
	case AS_EV_PROC_MMAP_EXEC: return "mmap_exec";
	case AS_EV_FILE_OPEN: return "open";
	case AS_EV_FILE_UNLINK: return "unlink";
	case AS_EV_FILE_RENAME: return "rename";
	case AS_EV_FILE_MKDIR: return "mkdir";
	case AS_EV_FILE_CHMOD: return "chmod";
	case AS_EV_FILE_IO: return "file_io";
	case AS_EV_NET_CONNECT: return "connect";
	case AS_EV_NET_ACCEPT: return "accept";
	case AS_EV_NET_BIND: return "bind";
	case AS_EV_NET_LISTEN: return "listen";
	case AS_EV_NET_DNS: return "dns";
	case AS_EV_NET_TCP_STATE: return "tcp_state";
	case AS_EV_TLS_DATA: return "tls_data";
	case AS_EV_LOST: return "lost";
	case AS_EV_TLS_ATTACH: return "tls_attach";
	case AS_EV_TARGET: return "target";
	default: return "unknown";
	}
}

/* The source (enum as_source) a record type belongs to: types are numbered
 * in blocks of ten per collector. */
static inline unsigned as_event_source(unsigned type)
{
	return type < 10 ? AS_SRC_PROC : type < 20 ? AS_SRC_FILE : type < 30 ? AS_SRC_NET : type < 40 ? AS_SRC_TLS : AS_SRC_HELPER;
}
#endif

#endif /* AGENTSIGHT_EVENTS_H */
