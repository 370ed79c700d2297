// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * file.bpf.c - the file collector: opens (with the resolved absolute path),
 * namespace changes (unlink, rename, mkdir, chmod) and bytes moved per fd.
 *
 * Bytes are aggregated per {tgid, fd} in the shared fd_io map and reported
 * as AS_EV_FILE_IO deltas (on close, at most once a second while the fd is
 * busy, and at process exit from proc.bpf.c), never as an event per call:
 * a tracked agent doing thousands of small reads must not flood the ring.
 *
 * Every syscall is seen as a sys_enter/sys_exit tracepoint pair: arguments
 * are saved at enter, user memory is read at exit (see syscall.bpf.h).
 */
#include "common.bpf.h"
#include "path.bpf.h"
#include "fd.bpf.h"
#include "fd_io.bpf.h"
#include "syscall.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

enum {
	FILE_NR_OPEN = 1,
	FILE_NR_OPENAT,
	FILE_NR_OPENAT2,
	FILE_NR_UNLINK,
	FILE_NR_UNLINKAT,
	FILE_NR_RENAME,
	FILE_NR_RENAMEAT,
	FILE_NR_RENAMEAT2,
	FILE_NR_MKDIR,
	FILE_NR_MKDIRAT,
	FILE_NR_CHMOD,
	FILE_NR_FCHMODAT,
	FILE_NR_FCHMODAT2,
	FILE_NR_FCHMOD,
};

AS_DEFINE_ARGS_MAP(file_args);

/* Room for the largest record: an open whose resolved path is built as
 * prefix + "/" + raw (each up to AS_MAX_PATH before the cut) and the raw
 * path after it. */
#define FILE_SCRATCH (sizeof(struct as_file_open) + 3 * AS_MAX_PATH + 256)
struct file_scratch_buf {
	__u8 b[FILE_SCRATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct file_scratch_buf);
} file_scratch SEC(".maps");

static __always_inline void *file_buf(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&file_scratch, &zero);
}

#define SAVE_ON_ENTER(sc, nr, nargs)                                    \
	SEC("tracepoint/syscalls/sys_enter_" #sc)                       \
	int handle_##sc##_enter(struct trace_event_raw_sys_enter *ctx)  \
	{                                                               \
		if (!as_is_tracked(as_tgid()))                          \
			return 0;                                       \
		as_args_save(&file_args, ctx, nr, nargs);               \
		return 0;                                               \
	}

/* ---- open ---- */

/* Read the user string at src into dst (room: AS_MAX_PATH). Returns the
 * length without NUL; sets *cut when it filled the room or could not be read
 * at all (so an empty path is never silently wrong). */
static __always_inline __u32 read_user_path(char *dst, const void *src, __u32 *cut)
{
	long n = bpf_probe_read_user_str(dst, AS_MAX_PATH, src);
	if (n < 0)
		*cut = 1;
	if (n <= 0)
		return 0;
	if (n == AS_MAX_PATH)
		*cut = 1;
	return n - 1;
}

static __always_inline int open_exit(long ret, __u32 nr)
{
	struct as_sys_args a;
	if (as_args_take(&file_args, nr, &a))
		return 0;
	__u8 *buf = file_buf();
	if (!buf)
		return 0;
	struct as_file_open *r = (void *)buf;
	struct task_struct *task = bpf_get_current_task_btf();
	const void *raw;

	if (nr == FILE_NR_OPEN) {
		r->dirfd = AS_AT_FDCWD;
		raw = (void *)a.a[0];
		r->flags = a.a[1];
		r->mode = a.a[2];
	} else {
		r->dirfd = (__s32)a.a[0];
		raw = (void *)a.a[1];
		if (nr == FILE_NR_OPENAT2) {
			struct open_how how = {};
			bpf_probe_read_user(&how, sizeof(how), (void *)a.a[2]);
			r->flags = how.flags;
			r->mode = how.mode;
		} else {
			r->flags = a.a[2];
			r->mode = a.a[3];
		}
	}
	r->result = ret;
	r->_pad = 0;

	char *path = (char *)buf + sizeof(*r);
	__u32 plen = 0, pcut = 0, rcut = 0;
	if (ret >= 0) {
		/* The file really opened: its own path, symlinks and ".." resolved. */
		struct file *f = as_fd_file(task, ret);
		if (f)
			plen = as_path_of(path, &f->f_path, &pcut);
	} else {
		/* Nothing opened: best effort, the base directory + raw argument. */
		char first = 0;
		bpf_probe_read_user(&first, 1, raw);
		if (first != '/') {
			if (r->dirfd == AS_AT_FDCWD) {
				plen = as_cwd_of(path, task, &pcut);
			} else {
				struct file *d = as_fd_file(task, r->dirfd);
				if (d)
					plen = as_path_of(path, &d->f_path, &pcut);
			}
			if (plen > AS_MAX_PATH)
				plen = AS_MAX_PATH;
			/* "/" alone needs no separator. */
			if (plen > 1 || (plen == 1 && path[0] != '/')) {
				path[plen & (2 * AS_MAX_PATH - 1)] = '/';
				plen += 1;
			}
		}
		if (plen > AS_MAX_PATH)
			plen = AS_MAX_PATH;
		__u32 cut = 0;
		plen += read_user_path(path + plen, raw, &cut);
		if (cut)
			pcut = 1;
		if (plen >= AS_MAX_PATH) {
			plen = AS_MAX_PATH;
			pcut = 1;
		}
	}
	if (plen > AS_MAX_PATH)
		plen = AS_MAX_PATH;
	__u32 rlen = read_user_path(path + plen, raw, &rcut);
	if (rlen > AS_MAX_PATH)
		rlen = AS_MAX_PATH;

	r->path_len = plen;
	r->raw_len = rlen;
	r->trunc = (pcut ? 1 : 0) | (rcut ? 2 : 0);
	__u32 size = sizeof(*r) + plen + rlen;
	if (size > FILE_SCRATCH) /* verifier bound, never true */
		return 0;
	as_fill_header(&r->h, AS_EV_FILE_OPEN, size, AS_SRC_FILE);
	if (r->trunc)
		r->h.flags |= AS_F_TRUNCATED;
	as_output(buf, size, AS_SRC_FILE);
	return 0;
}

SAVE_ON_ENTER(open, FILE_NR_OPEN, 3)
SAVE_ON_ENTER(openat, FILE_NR_OPENAT, 4)
SAVE_ON_ENTER(openat2, FILE_NR_OPENAT2, 4)

SEC("tracepoint/syscalls/sys_exit_open")
int handle_open_exit(struct trace_event_raw_sys_exit *ctx) { return open_exit(ctx->ret, FILE_NR_OPEN); }
SEC("tracepoint/syscalls/sys_exit_openat")
int handle_openat_exit(struct trace_event_raw_sys_exit *ctx) { return open_exit(ctx->ret, FILE_NR_OPENAT); }
SEC("tracepoint/syscalls/sys_exit_openat2")
int handle_openat2_exit(struct trace_event_raw_sys_exit *ctx) { return open_exit(ctx->ret, FILE_NR_OPENAT2); }

/* ---- unlink, rename, mkdir, chmod: raw arguments as passed ---- */

struct op_shape {
	__u16 type;
	__s32 dirfd;
	__u64 p1, p2; /* user pointers, 0 = none */
	__u32 mode;
};

static __always_inline int op_shape_of(__u32 nr, const struct as_sys_args *a, struct op_shape *o)
{
	o->dirfd = AS_AT_FDCWD;
	o->p1 = o->p2 = 0;
	o->mode = 0;
	switch (nr) {
	case FILE_NR_UNLINK:
		o->type = AS_EV_FILE_UNLINK, o->p1 = a->a[0];
		break;
	case FILE_NR_UNLINKAT:
		o->type = AS_EV_FILE_UNLINK, o->dirfd = a->a[0], o->p1 = a->a[1], o->mode = a->a[2];
		break;
	case FILE_NR_RENAME:
		o->type = AS_EV_FILE_RENAME, o->p1 = a->a[0], o->p2 = a->a[1];
		break;
	case FILE_NR_RENAMEAT: /* the new path's dirfd (a[2]) has no field */
		o->type = AS_EV_FILE_RENAME, o->dirfd = a->a[0], o->p1 = a->a[1], o->p2 = a->a[3];
		break;
	case FILE_NR_RENAMEAT2: /* mode carries the RENAME_* flags */
		o->type = AS_EV_FILE_RENAME, o->dirfd = a->a[0], o->p1 = a->a[1], o->p2 = a->a[3];
		o->mode = a->a[4];
		break;
	case FILE_NR_MKDIR:
		o->type = AS_EV_FILE_MKDIR, o->p1 = a->a[0], o->mode = a->a[1];
		break;
	case FILE_NR_MKDIRAT:
		o->type = AS_EV_FILE_MKDIR, o->dirfd = a->a[0], o->p1 = a->a[1], o->mode = a->a[2];
		break;
	case FILE_NR_CHMOD:
		o->type = AS_EV_FILE_CHMOD, o->p1 = a->a[0], o->mode = a->a[1];
		break;
	case FILE_NR_FCHMODAT:
	case FILE_NR_FCHMODAT2:
		o->type = AS_EV_FILE_CHMOD, o->dirfd = a->a[0], o->p1 = a->a[1], o->mode = a->a[2];
		break;
	case FILE_NR_FCHMOD: /* no path: dirfd is the fd itself */
		o->type = AS_EV_FILE_CHMOD, o->dirfd = a->a[0], o->mode = a->a[1];
		break;
	default:
		return -1;
	}
	return 0;
}

static __always_inline int op_exit(long ret, __u32 nr)
{
	struct as_sys_args a;
	struct op_shape o;
	if (as_args_take(&file_args, nr, &a) || op_shape_of(nr, &a, &o))
		return 0;
	__u8 *buf = file_buf();
	if (!buf)
		return 0;
	struct as_file_op *r = (void *)buf;
	char *p = (char *)buf + sizeof(*r);
	__u32 cut = 0, l1 = 0, l2 = 0;
	if (o.p1)
		l1 = read_user_path(p, (void *)o.p1, &cut);
	if (l1 > AS_MAX_PATH)
		l1 = AS_MAX_PATH;
	if (o.p2)
		l2 = read_user_path(p + l1, (void *)o.p2, &cut);
	if (l2 > AS_MAX_PATH)
		l2 = AS_MAX_PATH;
	r->dirfd = o.dirfd;
	r->result = ret;
	r->mode = o.mode;
	r->path_len = l1;
	r->path2_len = l2;
	__u32 size = sizeof(*r) + l1 + l2;
	as_fill_header(&r->h, o.type, size, AS_SRC_FILE);
	if (cut)
		r->h.flags |= AS_F_TRUNCATED;
	as_output(buf, size, AS_SRC_FILE);
	return 0;
}

#define FILE_OP(sc, nr, nargs)                                          \
	SAVE_ON_ENTER(sc, nr, nargs)                                    \
	SEC("tracepoint/syscalls/sys_exit_" #sc)                        \
	int handle_##sc##_exit(struct trace_event_raw_sys_exit *ctx)    \
	{                                                               \
		return op_exit(ctx->ret, nr);                           \
	}

FILE_OP(unlink, FILE_NR_UNLINK, 1)
FILE_OP(unlinkat, FILE_NR_UNLINKAT, 3)
FILE_OP(rename, FILE_NR_RENAME, 2)
FILE_OP(renameat, FILE_NR_RENAMEAT, 4)
FILE_OP(renameat2, FILE_NR_RENAMEAT2, 5)
FILE_OP(mkdir, FILE_NR_MKDIR, 2)
FILE_OP(mkdirat, FILE_NR_MKDIRAT, 3)
FILE_OP(chmod, FILE_NR_CHMOD, 2)
FILE_OP(fchmodat, FILE_NR_FCHMODAT, 3)
FILE_OP(fchmod, FILE_NR_FCHMOD, 2)
/* fchmodat2 (6.6+) is attached only where it exists: see bpf/README.md. */
FILE_OP(fchmodat2, FILE_NR_FCHMODAT2, 4)

/* ---- bytes per fd ---- */

/* In-flight read/write-like call of a thread: which fd, which direction. */
struct io_call {
	__s32 fd;
	__u32 write;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct io_call);
} file_io_calls SEC(".maps");

static __always_inline int io_enter(struct trace_event_raw_sys_enter *ctx, __u32 write)
{
	if (!as_is_tracked(as_tgid()))
		return 0;
	__u32 tid = as_tid();
	struct io_call c = { .fd = (__s32)ctx->args[0], .write = write };
	bpf_map_update_elem(&file_io_calls, &tid, &c, BPF_ANY);
	return 0;
}

static __always_inline int io_exit(long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct io_call *cp = bpf_map_lookup_elem(&file_io_calls, &tid);
	if (!cp)
		return 0;
	struct io_call c = *cp;
	bpf_map_delete_elem(&file_io_calls, &tid);
	if (ret <= 0)
		return 0;

	struct as_fd_key k = { .tgid = id >> 32, .fd = c.fd };
	struct as_fd_io *v = bpf_map_lookup_elem(&fd_io, &k);
	__u64 now = bpf_ktime_get_boot_ns();
	if (!v) {
		struct as_fd_io init = { .last_flush_ns = now };
		if (bpf_map_update_elem(&fd_io, &k, &init, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&fd_io, &k)) {
			as_count_lost(AS_SRC_FILE); /* map full */
			return 0;
		}
		v = bpf_map_lookup_elem(&fd_io, &k);
		if (!v)
			return 0;
	}
	if (c.write) {
		__sync_fetch_and_add(&v->bytes_written, ret);
		__sync_fetch_and_add(&v->writes, 1);
	} else {
		__sync_fetch_and_add(&v->bytes_read, ret);
		__sync_fetch_and_add(&v->reads, 1);
	}
	if (now - v->last_flush_ns > AS_IO_PERIOD_NS)
		as_io_flush(k.tgid, k.fd, v, AS_IO_PERIODIC);
	return 0;
}

#define IO_CALL(sc, write)                                              \
	SEC("tracepoint/syscalls/sys_enter_" #sc)                       \
	int handle_##sc##_enter(struct trace_event_raw_sys_enter *ctx)  \
	{                                                               \
		return io_enter(ctx, write);                            \
	}                                                               \
	SEC("tracepoint/syscalls/sys_exit_" #sc)                        \
	int handle_##sc##_exit(struct trace_event_raw_sys_exit *ctx)    \
	{                                                               \
		return io_exit(ctx->ret);                               \
	}

IO_CALL(read, 0)
IO_CALL(pread64, 0)
IO_CALL(readv, 0)
IO_CALL(recvfrom, 0)
IO_CALL(recvmsg, 0)
IO_CALL(write, 1)
IO_CALL(pwrite64, 1)
IO_CALL(writev, 1)
IO_CALL(sendto, 1)
IO_CALL(sendmsg, 1)

/* close (and dup2/dup3 replacing an open fd) ends an fd's io: flush it. */
SEC("tracepoint/syscalls/sys_enter_close")
int handle_close_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tgid = as_tgid();
	if (!as_is_tracked(tgid))
		return 0;
	as_io_close(tgid, (__s32)ctx->args[0]);
	return 0;
}

static __always_inline int dup_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tgid = as_tgid();
	if (!as_is_tracked(tgid))
		return 0;
	if (ctx->args[0] != ctx->args[1])
		as_io_close(tgid, (__s32)ctx->args[1]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_dup2")
int handle_dup2_enter(struct trace_event_raw_sys_enter *ctx) { return dup_enter(ctx); }
SEC("tracepoint/syscalls/sys_enter_dup3")
int handle_dup3_enter(struct trace_event_raw_sys_enter *ctx) { return dup_enter(ctx); }

/* exec closes O_CLOEXEC fds without close(): flush them before it does.
 * If the exec then fails, such an fd may see more io; it is counted afresh. */
static __always_inline int exec_enter(void)
{
	__u32 tgid = as_tgid();
	if (!as_is_tracked(tgid))
		return 0;
	as_io_scan(bpf_get_current_task_btf(), tgid, AS_IO_CLOSED, 1, 0, ~0U);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int handle_execve_enter(struct trace_event_raw_sys_enter *ctx) { return exec_enter(); }
SEC("tracepoint/syscalls/sys_enter_execveat")
int handle_execveat_enter(struct trace_event_raw_sys_enter *ctx) { return exec_enter(); }

#define AS_CLOSE_RANGE_CLOEXEC 0x4

/* close_range(first, last, flags) closes many fds in one call (glibc's
 * closefrom, posix_spawn). With CLOSE_RANGE_CLOEXEC it only marks them. */
SEC("tracepoint/syscalls/sys_enter_close_range")
int handle_close_range_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tgid = as_tgid();
	if (!as_is_tracked(tgid) || (ctx->args[2] & AS_CLOSE_RANGE_CLOEXEC))
		return 0;
	as_io_scan(bpf_get_current_task_btf(), tgid, AS_IO_CLOSED, 0, (__u32)ctx->args[0],
		   (__u32)ctx->args[1]);
	return 0;
}
