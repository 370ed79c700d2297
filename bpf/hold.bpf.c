/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * hold.bpf.c - closes the race between "a traced process exec'd" and "its
 * TLS uprobes are attached".
 *
 * Uprobes are attached per pid by the helper (bystanders pay nothing), which
 * needs the EXEC record first. A fast client (curl on loopback) can finish
 * its whole TLS exchange in the few ms that takes. So a traced process that
 * execs a binary not yet known to be TLS-free is stopped (SIGSTOP, delivered
 * before its first user instruction) and the helper continues it (SIGCONT)
 * once the probes are in. Binaries the helper found without TLS functions
 * (cat, sh, git...) are listed in `exec_hold_skip` and never stopped again.
 * The same holds for executable file mappings made with mmap (dlopen of
 * libssl by python's _ssl): stopped at sys_enter_mmap, the signal lands
 * after the syscall, when proc.bpf.c has already reported the mapping.
 * The helper continues any process held longer than 500 ms, so a lost
 * record can delay a process but never leave it stopped.
 * Runs after proc.bpf.c's exec handler (attached later), so comm targets
 * that handler just added are already tracked.
 */
#include "common.bpf.h"
#include "fd.bpf.h"

#define AS_SIGSTOP 19

/* Loader knob: 0 disables holding (--no-exec-hold). */
const volatile __u32 as_hold_exec = 1;

struct as_inode_key {
	__u64 dev; /* kernel dev_t encoding: major << 20 | minor */
	__u64 ino;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct as_inode_key);
	__type(value, __u8);
} exec_hold_skip SEC(".maps");

/* tgid -> boot ns when it was stopped; the helper deletes the entry when it
 * continues the process. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} held SEC(".maps");

static __always_inline int hold_current(__u32 tgid)
{
	/* Already held: the process stops once. */
	if (bpf_map_lookup_elem(&held, &tgid))
		return 0;
	/* Stop first, record second: the helper continues a process only after
	 * it finds it in `held`, so its SIGCONT always comes after our SIGSTOP
	 * (a SIGCONT sent before it would be lost and the process would stay
	 * stopped). A stop without an entry could never be released, so first
	 * make sure there is room (the map is full only when the helper is far
	 * behind: then nobody is stopped). A release that races this sequence
	 * only delays the process until the helper's 500 ms watchdog. */
	__u64 now = bpf_ktime_get_boot_ns();
	if (bpf_map_update_elem(&held, &tgid, &now, BPF_NOEXIST))
		return 0;
	bpf_map_delete_elem(&held, &tgid);
	bpf_send_signal(AS_SIGSTOP);
	now = bpf_ktime_get_boot_ns();
	bpf_map_update_elem(&held, &tgid, &now, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec_hold, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = p->tgid;
	if (!as_hold_exec || tgid == as_helper_tgid || !as_is_tracked(tgid))
		return 0;
	struct inode *inode = BPF_CORE_READ(bprm, file, f_inode);
	struct as_inode_key key = {
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.ino = BPF_CORE_READ(inode, i_ino),
	};
	if (bpf_map_lookup_elem(&exec_hold_skip, &key))
		return 0;
	return hold_current(tgid);
}

#define AS_PROT_EXEC 0x4
#define AS_MAP_ANONYMOUS 0x20

SEC("tracepoint/syscalls/sys_enter_mmap")
int handle_mmap_hold(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tgid = as_tgid();
	if (!as_hold_exec || !as_is_tracked(tgid))
		return 0;
	/* args: addr, len, prot, flags, fd, off */
	if (!(ctx->args[2] & AS_PROT_EXEC) || (ctx->args[3] & AS_MAP_ANONYMOUS) || (__s32)ctx->args[4] < 0)
		return 0;
	struct file *f = as_fd_file(bpf_get_current_task_btf(), (__s32)ctx->args[4]);
	if (!f)
		return 0;
	struct inode *inode = BPF_CORE_READ(f, f_inode);
	struct as_inode_key key = {
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.ino = BPF_CORE_READ(inode, i_ino),
	};
	if (bpf_map_lookup_elem(&exec_hold_skip, &key))
		return 0;
	return hold_current(tgid);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
