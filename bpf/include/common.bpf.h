/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * common.bpf.h - the base layer every collector includes (Falco's "base").
 *
 * Maps declared here exist once per BPF object; the helper's loader creates
 * them with the proc object and makes every other object reuse the same fds
 * (bpf_map__reuse_fd) before loading, so all collectors share one tracked set,
 * one ring buffer, one set of sequence and drop counters.
 */
#ifndef AGENTSIGHT_COMMON_BPF_H
#define AGENTSIGHT_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "agentsight_events.h"

#ifndef EINPROGRESS
#define EINPROGRESS 115
#endif
#define AS_AT_FDCWD -100

/* Loader knobs (rodata, set before load). */
/* Force a consumer wakeup once this many bytes wait in the ring; below it the
 * helper's 10 ms poll timeout collects them. Per-event wakeups cost 3-11 us. */
const volatile __u64 as_wakeup_bytes = 256 * 1024;
/* Never trace the helper itself (it could otherwise be a descendant). */
const volatile __u32 as_helper_tgid = 0;

/* Why a process is tracked: kept in `tracked` for each traced tgid. */
struct as_tracked {
	__u64 start_ns;   /* task start time: pid + start time = identity */
	__u32 root_tgid;  /* the target this process descends from */
	__u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024 * 1024); /* the loader resizes it */
} events SEC(".maps");

/* The tracked set: tgid -> as_tracked. Filled by the helper for targets
 * (and what already descends from them), by proc.bpf.c on fork/comm-match. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct as_tracked);
} tracked SEC(".maps");

/* Per-source sequence numbers (global, atomically incremented). A record that
 * could not be written still consumed its number, so gaps == drops. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, AS_SRC_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} seqs SEC(".maps");

/* Per-CPU count of records lost because the ring was full, per source. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, AS_SRC_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* comm names to follow on exec (--comm): key = comm padded with NULs. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, char[AS_MAX_COMM]);
	__type(value, __u8);
} comm_targets SEC(".maps");

/* Bytes moved through one fd of one process since its last AS_EV_FILE_IO
 * flush. Shared because file.bpf.c adds to it (and flushes on close or after
 * 1 s) while proc.bpf.c flushes what is left when the process ends. */
struct as_fd_key {
	__u32 tgid;
	__s32 fd;
};

struct as_fd_io {
	__u64 bytes_read;
	__u64 bytes_written;
	__u32 reads;
	__u32 writes;
	__u64 last_flush_ns; /* boot ns of the previous flush (or of the first io) */
};

/* A full map cannot take a new fd: that io is counted as one lost
 * AS_SRC_FILE record (seq consumed + drop), never ignored silently. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct as_fd_key);
	__type(value, struct as_fd_io);
} fd_io SEC(".maps");

static __always_inline __u32 as_tgid(void)
{
	return bpf_get_current_pid_tgid() >> 32;
}

/* The early-return filter every program runs first. */
static __always_inline struct as_tracked *as_is_tracked(__u32 tgid)
{
	return bpf_map_lookup_elem(&tracked, &tgid);
}

static __always_inline __u64 as_next_seq(__u32 source)
{
	__u64 *s = bpf_map_lookup_elem(&seqs, &source);
	if (!s)
		return 0;
	return __sync_fetch_and_add(s, 1) + 1;
}

static __always_inline void as_count_drop(__u32 source)
{
	__u64 *d = bpf_map_lookup_elem(&drops, &source);
	if (d)
		*d += 1; /* per-CPU slot: no atomics needed */
}

/* Fill the common header for the current task. */
static __always_inline void as_fill_header(struct as_event_header *h, __u16 type,
					   __u32 size, __u32 source)
{
	__u64 id = bpf_get_current_pid_tgid();
	h->type = type;
	h->flags = 0;
	h->size = size;
	h->ktime_ns = bpf_ktime_get_boot_ns();
	h->seq = as_next_seq(source);
	h->tgid = id >> 32;
	h->tid = (__u32)id;
}

/* Wake the consumer only when enough has piled up (batched wakeups). */
static __always_inline __u64 as_wakeup_flag(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= as_wakeup_bytes
		       ? BPF_RB_FORCE_WAKEUP
		       : BPF_RB_NO_WAKEUP;
}

/* Submit a record reserved with bpf_ringbuf_reserve. */
static __always_inline void as_submit(void *rec)
{
	bpf_ringbuf_submit(rec, as_wakeup_flag());
}

/* Reserve a fixed-size record; on failure count the drop (the caller has
 * already consumed a seq number via as_fill_header afterwards, so we take the
 * seq here too to keep "gaps == drops" exact). */
static __always_inline void *as_reserve(__u32 size, __u32 source)
{
	void *rec = bpf_ringbuf_reserve(&events, size, 0);
	if (!rec) {
		as_next_seq(source);
		as_count_drop(source);
	}
	return rec;
}

/* Copy a variable-size record (built in a per-CPU scratch buffer) into the
 * ring with its exact size. Returns 0 or a negative error (drop counted). */
static __always_inline long as_output(void *data, __u64 size, __u32 source)
{
	long err = bpf_ringbuf_output(&events, data, size, as_wakeup_flag());
	if (err)
		as_count_drop(source);
	return err;
}

/* Like as_output but wakes the consumer at once: for the few records the
 * helper must act on quickly (exec, executable mappings -> TLS uprobes). */
static __always_inline long as_output_now(void *data, __u64 size, __u32 source)
{
	long err = bpf_ringbuf_output(&events, data, size, BPF_RB_FORCE_WAKEUP);
	if (err)
		as_count_drop(source);
	return err;
}

/* Count one record that could not be produced at all (not even reserved):
 * it takes its sequence number so "gaps == drops" stays exact. */
static __always_inline void as_count_lost(__u32 source)
{
	as_next_seq(source);
	as_count_drop(source);
}

#endif /* AGENTSIGHT_COMMON_BPF_H */
