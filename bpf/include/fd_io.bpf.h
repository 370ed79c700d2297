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

struct as_io_exit_ctx {
	__u32 tgid;
};

static long as_io_exit_one(void *map, struct as_fd_key *k, struct as_fd_io *v, void *arg)
{
	struct as_io_exit_ctx *c = arg;
	if (k->tgid != c->tgid)
		return 0;
	as_io_flush(k->tgid, k->fd, v, AS_IO_EXIT);
	bpf_map_delete_elem(map, k);
	return 0;
}

/* The process is gone: flush and forget all its fds. Visits the whole map
 * (bounded by its max_entries), once per process exit. */
static __always_inline void as_io_exit(__u32 tgid)
{
	struct as_io_exit_ctx c = { .tgid = tgid };
	bpf_for_each_map_elem(&fd_io, as_io_exit_one, &c, 0);
}

static long as_io_exec_one(void *map, struct as_fd_key *k, struct as_fd_io *v, void *arg)
{
	struct as_io_exit_ctx *c = arg;
	if (k->tgid != c->tgid)
		return 0;
	struct task_struct *t = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	struct file **arr = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	if (k->fd >= 0 && (unsigned int)k->fd < max)
		bpf_probe_read_kernel(&f, sizeof(f), &arr[k->fd]);
	if (f)
		return 0; /* survived the exec: keeps counting */
	as_io_flush(k->tgid, k->fd, v, AS_IO_CLOSED);
	bpf_map_delete_elem(map, k);
	return 0;
}

/* exec closed the O_CLOEXEC fds without a close() call: flush those as
 * closed, so a reused fd number does not inherit their counts. Called from
 * sched_process_exec, after the kernel closed them. */
static __always_inline void as_io_exec(__u32 tgid)
{
	struct as_io_exit_ctx c = { .tgid = tgid };
	bpf_for_each_map_elem(&fd_io, as_io_exec_one, &c, 0);
}

#endif /* AGENTSIGHT_FD_IO_BPF_H */
