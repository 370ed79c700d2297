/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fd_io.bpf.h - turning the per-fd byte counters (map fd_io in
 * common.bpf.h) into AS_EV_FILE_IO records.
 *
 * A flush reports what was counted since the previous flush of that fd and
 * subtracts exactly that (atomically), so io racing in from other threads
 * of the process is carried to the next flush instead of being lost. If the
 * ring is full the counters are left alone: the bytes show up in the next
 * flush of the fd (a drop is counted for the record that was not written).
 */
#ifndef AGENTSIGHT_FD_IO_BPF_H
#define AGENTSIGHT_FD_IO_BPF_H

#include "common.bpf.h"

#define AS_IO_PERIOD_NS 1000000000ULL

static __always_inline void as_io_flush(__u32 tgid, __s32 fd, struct as_fd_io *v, __u32 why)
{
	__u64 rd = v->bytes_read, wr = v->bytes_written;
	__u32 nr = v->reads, nw = v->writes;
	if (!rd && !wr && !nr && !nw)
		return;

	struct as_file_io *r = as_reserve(sizeof(*r), AS_SRC_FILE);
	if (!r)
		return;
	as_fill_header(&r->h, AS_EV_FILE_IO, sizeof(*r), AS_SRC_FILE);
	r->h.tgid = tgid;
	r->fd = fd;
	r->io_flags = why;
	r->bytes_read = rd;
	r->bytes_written = wr;
	r->reads = nr;
	r->writes = nw;
	__sync_fetch_and_add(&v->bytes_read, -rd);
	__sync_fetch_and_add(&v->bytes_written, -wr);
	__sync_fetch_and_add(&v->reads, -nr);
	__sync_fetch_and_add(&v->writes, -nw);
	v->last_flush_ns = r->h.ktime_ns;
	as_submit(r);
}

/* Flush and forget one fd (close, dup2 over it). */
static __always_inline void as_io_close(__u32 tgid, __s32 fd)
{
	struct as_fd_key k = { .tgid = tgid, .fd = fd };
	struct as_fd_io *v = bpf_map_lookup_elem(&fd_io, &k);
	if (!v)
		return;
	as_io_flush(tgid, fd, v, AS_IO_CLOSED);
	bpf_map_delete_elem(&fd_io, &k);
}

/*
 * Flushing many fds of a process (exit, exec, close_range) walks the task's
 * fd table bitmap, 64 fds per word, and looks up only open fds. Why not
 * bpf_for_each_map_elem over fd_io: that visits every bucket of the map and
 * measured ~140 us per call at 65536 entries, on every exit and exec.
 */
#define AS_FDSCAN_WORDS (1U << 16) /* up to 4M fds (fs.nr_open max is 1M) */

struct as_fdscan {
	const unsigned long *open;
	const unsigned long *only; /* also required (close_on_exec), or NULL */
	unsigned long cur;         /* bits left in the word being scanned */
	__u32 words;
	__u32 base;  /* fd number of bit 0 of cur */
	__u32 first; /* fd range, inclusive */
	__u32 last;
	__u32 tgid;
	__u32 why;
};

static long as_fdscan_bit(__u32 b, void *arg)
{
	struct as_fdscan *c = arg;
	if (!c->cur)
		return 1;
	unsigned long bit = 1UL << (b & 63);
	if (!(c->cur & bit))
		return 0;
	c->cur &= ~bit;
	__u32 fd = c->base + b;
	if (fd < c->first || fd > c->last)
		return 0;
	struct as_fd_key k = { .tgid = c->tgid, .fd = fd };
	struct as_fd_io *v = bpf_map_lookup_elem(&fd_io, &k);
	if (v) {
		as_io_flush(c->tgid, fd, v, c->why);
		bpf_map_delete_elem(&fd_io, &k);
	}
	return 0;
}

static long as_fdscan_word(__u32 w, void *arg)
{
	struct as_fdscan *c = arg;
	if (w >= c->words)
		return 1;
	if (w < c->first / 64)
		return 0;
	unsigned long bits = 0, mask = ~0UL;
	bpf_probe_read_kernel(&bits, sizeof(bits), &c->open[w]);
	if (c->only)
		bpf_probe_read_kernel(&mask, sizeof(mask), &c->only[w]);
	c->cur = bits & mask;
	c->base = w * 64;
	if (c->cur)
		bpf_loop(64, as_fdscan_bit, c, 0);
	return 0;
}

/* Flush and forget the io of the open fds in [first, last] of task t
 * (cloexec_only: just those marked close-on-exec). */
static __always_inline void as_io_scan(struct task_struct *t, __u32 tgid, __u32 why,
				       int cloexec_only, __u32 first, __u32 last)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	if (!fdt)
		return;
	__u32 max = BPF_CORE_READ(fdt, max_fds);
	struct as_fdscan c = {
		.open = BPF_CORE_READ(fdt, open_fds),
		.only = cloexec_only ? BPF_CORE_READ(fdt, close_on_exec) : NULL,
		.words = max / 64 + (max % 64 ? 1 : 0),
		.first = first,
		.last = last,
		.tgid = tgid,
		.why = why,
	};
	if (last / 64 + 1 < c.words)
		c.words = last / 64 + 1;
	bpf_loop(AS_FDSCAN_WORDS, as_fdscan_word, &c, 0);
}

/* The process is gone: flush and forget all its fds. Runs in
 * sched_process_exit, before the kernel closes the files (exit_files). */
static __always_inline void as_io_exit(__u32 tgid)
{
	as_io_scan(bpf_get_current_task_btf(), tgid, AS_IO_EXIT, 0, 0, ~0U);
}

#endif /* AGENTSIGHT_FD_IO_BPF_H */
