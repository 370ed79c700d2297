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
 * Runs after proc.bpf.c's exec handler (attached later), so comm targets
 * that handler just added are already tracked.
 */
#include "common.bpf.h"

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
	__u64 now = bpf_ktime_get_boot_ns();
	/* A full `held` map means the helper is far behind: do not stop more. */
	if (bpf_map_update_elem(&held, &tgid, &now, BPF_NOEXIST))
		return 0;
	bpf_send_signal(AS_SIGSTOP);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
