/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * syscall.bpf.h - carrying a syscall's arguments from sys_enter to sys_exit.
 *
 * Why: user memory (paths, sockaddrs, buffers) is read at sys_exit, where it
 * is known to be faulted in (sys_enter reads can fail with -EFAULT, see
 * bpf/README.md), and the result is only known there. Each collector keeps
 * its own map of in-flight calls keyed by thread id; a thread runs one
 * syscall at a time, so one slot per thread suffices. LRU: a thread killed
 * inside a syscall never reaches sys_exit, and its slot must not leak.
 */
#ifndef AGENTSIGHT_SYSCALL_BPF_H
#define AGENTSIGHT_SYSCALL_BPF_H

#include "common.bpf.h"

struct as_sys_args {
	__u64 a[6];
	__u32 nr; /* which syscall saved this (a collector-private code) */
	__u32 _pad;
};

#define AS_DEFINE_ARGS_MAP(name)                                        \
	struct {                                                        \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                    \
		__uint(max_entries, 16384);                             \
		__type(key, __u32);                                     \
		__type(value, struct as_sys_args);                      \
	} name SEC(".maps")

static __always_inline __u32 as_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/* Save the first nargs raw arguments of the current syscall under a private
 * code. nargs must be the syscall's real argument count (a constant): the
 * kernel refuses to attach a program that reads past the tracepoint's
 * record (-EACCES), and sys_enter_X records only hold X's arguments. */
static __always_inline void as_args_save(void *map, struct trace_event_raw_sys_enter *ctx,
					 __u32 nr, int nargs)
{
	struct as_sys_args a = {};
	__u32 tid = as_tid();
	if (nargs > 0)
		a.a[0] = ctx->args[0];
	if (nargs > 1)
		a.a[1] = ctx->args[1];
	if (nargs > 2)
		a.a[2] = ctx->args[2];
	if (nargs > 3)
		a.a[3] = ctx->args[3];
	if (nargs > 4)
		a.a[4] = ctx->args[4];
	if (nargs > 5)
		a.a[5] = ctx->args[5];
	a.nr = nr;
	bpf_map_update_elem(map, &tid, &a, BPF_ANY);
}

/* Take (copy and delete) the saved arguments; 0 on success. A mismatching
 * code means a stale slot (the thread died mid-call): ignored. */
static __always_inline int as_args_take(void *map, __u32 nr, struct as_sys_args *out)
{
	__u32 tid = as_tid();
	struct as_sys_args *a = bpf_map_lookup_elem(map, &tid);
	if (!a)
		return -1;
	__builtin_memcpy(out, a, sizeof(*out));
	bpf_map_delete_elem(map, &tid);
	return out->nr == nr ? 0 : -1;
}

#endif /* AGENTSIGHT_SYSCALL_BPF_H */
