// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * proc.bpf.c - the process collector: which processes belong to a target,
 * what they run, where they run it, which executable files they map, and
 * how they end. It also maintains the shared `tracked` set that every other
 * collector filters on (fork adds, exec by comm adds, exit removes).
 *
 * Only tracepoints (sched via tp_btf for typed access, syscalls via
 * tracepoint/syscalls): see bpf/README.md for why.
 */
#include "common.bpf.h"
#include "path.bpf.h"
#include "fd.bpf.h"
#include "fd_io.bpf.h"
#include "syscall.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AS_PROT_EXEC 0x4
#define AS_MAP_ANONYMOUS 0x20
#define AS_SIGNAL_GROUP_EXIT 0x4

enum { PROC_NR_CHDIR = 1, PROC_NR_FCHDIR, PROC_NR_MMAP };

AS_DEFINE_ARGS_MAP(proc_args);

/* Room for the largest record: exec with every tail at its cap. */
#define PROC_SCRATCH (sizeof(struct as_proc_exec) + 2 * AS_MAX_PATH + AS_MAX_ARGV + 256)
struct proc_scratch_buf {
	__u8 b[PROC_SCRATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct proc_scratch_buf);
} proc_scratch SEC(".maps");

static __always_inline void *proc_buf(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&proc_scratch, &zero);
}

/* ---- fork ---- */

SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid;
	struct as_tracked *pt = as_is_tracked(ptgid);
	if (!pt)
		return 0;

	__u32 ctgid = child->tgid;
	__u32 thread = ctgid == ptgid;
	__u64 start = child->start_boottime;
	if (!thread && ctgid != as_helper_tgid) {
		struct as_tracked t = { .start_ns = start, .root_tgid = pt->root_tgid };
		/* A full map cannot follow this child: it is reported as a lost
		 * proc record so the gap is visible. */
		if (bpf_map_update_elem(&tracked, &ctgid, &t, BPF_ANY))
			as_count_lost(AS_SRC_PROC);
	}

	struct as_proc_fork *r = as_reserve(sizeof(*r), AS_SRC_PROC);
	if (!r)
		return 0;
	as_fill_header(&r->h, AS_EV_PROC_FORK, sizeof(*r), AS_SRC_PROC);
	r->child_start_ns = start;
	r->child_tgid = ctgid;
	r->child_tid = child->pid;
	r->fork_flags = thread ? AS_FORK_THREAD : 0;
	r->_pad = 0;
	bpf_probe_read_kernel(r->comm, sizeof(r->comm), child->comm);
	as_submit(r);
	return 0;
}

/* ---- exec ---- */

struct basename_ctx {
	const char *s;
	__u32 len;
	__u32 start; /* index after the last '/' */
};

static long find_slash(__u32 i, void *arg)
{
	struct basename_ctx *c = arg;
	char ch = 0;
	if (i >= c->len)
		return 1;
	__u32 at = c->len - 1 - i;
	bpf_probe_read_kernel(&ch, 1, c->s + at);
	if (ch == '/') {
		c->start = at + 1;
		return 1;
	}
	return 0;
}

/* Does the basename of the exec'd file (first 15 chars, like comm) name a
 * comm target? Differs from comm for fexecve and for scripts run through
 * an interpreter that renames itself later. */
static __always_inline int basename_is_target(const char *filename)
{
	char name[AS_MAX_COMM] = {};
	__u32 zero = 0;
	/* Copy it once (length known), then scan back for the last '/'. */
	struct as_path_scratch *s = bpf_map_lookup_elem(&as_path_buf, &zero);
	if (!s)
		return 0;
	long n = bpf_probe_read_kernel_str(s->b, AS_MAX_PATH, filename);
	if (n <= 1)
		return 0;
	struct basename_ctx c = { .s = s->b, .len = n - 1 };
	bpf_loop(AS_MAX_PATH, find_slash, &c, 0);
	bpf_probe_read_kernel_str(name, sizeof(name), s->b + (c.start & (AS_MAX_PATH - 1)));
	return bpf_map_lookup_elem(&comm_targets, name) != NULL;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = p->tgid;
	if (tgid == as_helper_tgid)
		return 0;
	struct as_tracked *t = as_is_tracked(tgid);
	if (!t) {
		char comm[AS_MAX_COMM] = {};
		bpf_get_current_comm(comm, sizeof(comm));
		if (!bpf_map_lookup_elem(&comm_targets, comm) &&
		    !basename_is_target(BPF_CORE_READ(bprm, filename)))
			return 0;
		/* A comm target starts its own tree. */
		struct as_tracked nt = {
			.start_ns = BPF_CORE_READ(p, group_leader, start_boottime),
			.root_tgid = tgid,
		};
		if (bpf_map_update_elem(&tracked, &tgid, &nt, BPF_ANY))
			as_count_lost(AS_SRC_PROC);
	}

	__u8 *buf = proc_buf();
	if (!buf)
		return 0;
	struct as_proc_exec *r = (void *)buf;
	__u16 trunc = 0;

	r->start_ns = BPF_CORE_READ(p, group_leader, start_boottime);
	r->ppid = BPF_CORE_READ(p, real_parent, tgid);
	r->uid = (__u32)bpf_get_current_uid_gid();
	r->old_tid = old_pid;
	r->argc = BPF_CORE_READ(bprm, argc);
	bpf_get_current_comm(r->comm, sizeof(r->comm));

	/* filename (kernel string) */
	__u32 off = sizeof(*r);
	long n = bpf_probe_read_kernel_str(buf + off, AS_MAX_PATH, BPF_CORE_READ(bprm, filename));
	__u32 flen = n > 0 ? n - 1 : 0;
	if (n == AS_MAX_PATH)
		trunc |= 4;
	if (flen > AS_MAX_PATH)
		flen = 0;
	off += flen;

	/* argv: the new image's stack, [arg_start, arg_end), NUL-separated.
	 * The final NUL is dropped; a cut argv keeps its first AS_MAX_ARGV bytes. */
	struct mm_struct *mm = BPF_CORE_READ(p, mm);
	__u64 as = BPF_CORE_READ(mm, arg_start), ae = BPF_CORE_READ(mm, arg_end);
	__u32 alen = 0;
	if (ae > as) {
		__u64 total = ae - as;
		alen = total > AS_MAX_ARGV ? AS_MAX_ARGV : total;
		if (total > AS_MAX_ARGV)
			trunc |= 1;
		/* Never true: restates the bounds for the verifier. */
		if (off > sizeof(*r) + AS_MAX_PATH || alen > AS_MAX_ARGV)
			return 0;
		if (bpf_probe_read_user(buf + off, alen, (void *)as)) {
			alen = 0;
			trunc |= 1;
		} else if (!(trunc & 1) && alen > 0) {
			alen -= 1;
		}
	}
	off += alen;

	/* cwd */
	__u32 ctrunc = 0;
	if (off > sizeof(*r) + AS_MAX_PATH + AS_MAX_ARGV) /* verifier bound, never true */
		return 0;
	__u32 clen = as_cwd_of((char *)buf + off, p, &ctrunc);
	if (ctrunc)
		trunc |= 2;
	off += clen;

	r->filename_len = flen;
	r->argv_len = alen;
	r->cwd_len = clen;
	r->trunc = trunc;
	if (off > PROC_SCRATCH) /* verifier bound, never true */
		return 0;
	as_fill_header(&r->h, AS_EV_PROC_EXEC, off, AS_SRC_PROC);
	if (trunc)
		r->h.flags |= AS_F_TRUNCATED;
	as_output_now(buf, off, AS_SRC_PROC);
	return 0;
}

/* ---- exit ---- */

SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_exit, struct task_struct *p, bool group_dead)
{
	__u32 tgid = p->tgid;
	struct as_tracked *t = as_is_tracked(tgid);
	if (!t)
		return 0;

	/* wait(2) reports the group exit code when the whole group was told to
	 * exit (exit_group, fatal signal); otherwise the thread's own code. */
	__s32 code = p->exit_code;
	struct signal_struct *sig = p->signal;
	if (BPF_CORE_READ(sig, flags) & AS_SIGNAL_GROUP_EXIT)
		code = BPF_CORE_READ(sig, group_exit_code);

	/* 6.18's tracepoint says whether this was the last thread
	 * (btf_trace_sched_process_exit has the bool group_dead). */
	__u32 is_process = group_dead ? 1 : 0;

	struct as_proc_exit *r = as_reserve(sizeof(*r), AS_SRC_PROC);
	if (r) {
		as_fill_header(&r->h, AS_EV_PROC_EXIT, sizeof(*r), AS_SRC_PROC);
		r->start_ns = BPF_CORE_READ(p, group_leader, start_boottime);
		r->signal = code & 0x7f;
		r->exit_code = (code & 0x7f) ? 0 : (code >> 8) & 0xff;
		r->is_process = is_process;
		r->_pad = 0;
		as_submit(r);
	}

	if (is_process) {
		bpf_map_delete_elem(&tracked, &tgid);
		as_io_exit(tgid);
	}
	return 0;
}

/* ---- chdir / fchdir ---- */

SEC("tracepoint/syscalls/sys_enter_chdir")
int handle_chdir_enter(struct trace_event_raw_sys_enter *ctx)
{
	if (!as_is_tracked(as_tgid()))
		return 0;
	as_args_save(&proc_args, ctx, PROC_NR_CHDIR, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_fchdir")
int handle_fchdir_enter(struct trace_event_raw_sys_enter *ctx)
{
	if (!as_is_tracked(as_tgid()))
		return 0;
	as_args_save(&proc_args, ctx, PROC_NR_FCHDIR, 1);
	return 0;
}

static __always_inline int chdir_exit(long ret, __u32 nr)
{
	struct as_sys_args a;
	if (as_args_take(&proc_args, nr, &a))
		return 0;
	__u8 *buf = proc_buf();
	if (!buf)
		return 0;
	struct as_proc_chdir *r = (void *)buf;
	char *path = (char *)buf + sizeof(*r);
	__u32 len = 0, trunc = 0;

	if (ret == 0) {
		len = as_cwd_of(path, bpf_get_current_task_btf(), &trunc);
	} else if (nr == PROC_NR_CHDIR) {
		long n = bpf_probe_read_user_str(path, AS_MAX_PATH, (void *)a.a[0]);
		len = n > 0 ? n - 1 : 0;
		if (n == AS_MAX_PATH || n < 0)
			trunc = 1; /* cut, or unreadable (e.g. a bad pointer: -EFAULT) */
	}
	if (len > AS_MAX_PATH)
		len = AS_MAX_PATH;
	r->result = ret;
	r->path_len = len;
	r->_pad = 0;
	__u32 size = sizeof(*r) + len;
	as_fill_header(&r->h, AS_EV_PROC_CHDIR, size, AS_SRC_PROC);
	if (trunc)
		r->h.flags |= AS_F_TRUNCATED;
	as_output(buf, size, AS_SRC_PROC);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_chdir")
int handle_chdir_exit(struct trace_event_raw_sys_exit *ctx)
{
	return chdir_exit(ctx->ret, PROC_NR_CHDIR);
}

SEC("tracepoint/syscalls/sys_exit_fchdir")
int handle_fchdir_exit(struct trace_event_raw_sys_exit *ctx)
{
	return chdir_exit(ctx->ret, PROC_NR_FCHDIR);
}

/* ---- executable file mappings (shared libraries, dlopen) ---- */

SEC("tracepoint/syscalls/sys_enter_mmap")
int handle_mmap_enter(struct trace_event_raw_sys_enter *ctx)
{
	if (!as_is_tracked(as_tgid()))
		return 0;
	/* args: addr, len, prot, flags, fd, off */
	if (!(ctx->args[2] & AS_PROT_EXEC) || (ctx->args[3] & AS_MAP_ANONYMOUS) ||
	    (__s32)ctx->args[4] < 0)
		return 0;
	as_args_save(&proc_args, ctx, PROC_NR_MMAP, 6);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_mmap")
int handle_mmap_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct as_sys_args a;
	if (as_args_take(&proc_args, PROC_NR_MMAP, &a))
		return 0;
	/* Failed mappings map nothing; only successes matter to the helper. */
	if ((unsigned long)ctx->ret >= (unsigned long)-4095)
		return 0;

	struct file *f = as_fd_file(bpf_get_current_task_btf(), (__s32)a.a[4]);
	if (!f)
		return 0;
	__u8 *buf = proc_buf();
	if (!buf)
		return 0;
	struct as_proc_mmap_exec *r = (void *)buf;
	__u32 trunc = 0;
	__u32 len = as_path_of((char *)buf + sizeof(*r), &f->f_path, &trunc);
	if (len > AS_MAX_PATH)
		len = AS_MAX_PATH;
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	r->ino = BPF_CORE_READ(ino, i_ino);
	r->dev = as_user_dev(BPF_CORE_READ(ino, i_sb, s_dev));
	r->path_len = len;
	r->_pad = 0;
	__u32 size = sizeof(*r) + len;
	as_fill_header(&r->h, AS_EV_PROC_MMAP_EXEC, size, AS_SRC_PROC);
	if (trunc)
		r->h.flags |= AS_F_TRUNCATED;
	as_output_now(buf, size, AS_SRC_PROC);
	return 0;
}
