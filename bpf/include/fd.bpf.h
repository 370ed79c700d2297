/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fd.bpf.h - from a task's fd number to its struct file and socket.
 *
 * Reads current->files->fdt->fd[fd] without the file table lock, as
 * bpf_probe_read does everything: the result is only valid while the task
 * keeps that fd open, which holds inside the task's own syscall. Never
 * dereference the returned pointers other than through probe reads.
 */
#ifndef AGENTSIGHT_FD_BPF_H
#define AGENTSIGHT_FD_BPF_H

#include "common.bpf.h"

#define AS_S_IFMT 0170000
#define AS_S_IFSOCK 0140000

static __always_inline struct file *as_fd_file(struct task_struct *t, __s32 fd)
{
	if (fd < 0)
		return NULL;
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	if (!fdt)
		return NULL;
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	if ((unsigned int)fd >= max)
		return NULL;
	struct file **arr = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]);
	return f;
}

/* The struct socket behind a file, or NULL if the file is not a socket. */
static __always_inline struct socket *as_file_socket(struct file *f)
{
	if (!f)
		return NULL;
	umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
	if ((mode & AS_S_IFMT) != AS_S_IFSOCK)
		return NULL;
	return BPF_CORE_READ(f, private_data);
}

static __always_inline struct socket *as_fd_socket(struct task_struct *t, __s32 fd)
{
	return as_file_socket(as_fd_file(t, fd));
}

/* userspace st_dev encoding of a kernel dev_t (new_encode_dev), so the
 * helper can compare it with stat() and /proc/PID/maps directly. */
static __always_inline __u32 as_user_dev(__u32 kdev)
{
	__u32 major = kdev >> 20, minor = kdev & ((1U << 20) - 1);
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

#endif /* AGENTSIGHT_FD_BPF_H */
