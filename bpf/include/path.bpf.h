/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * path.bpf.h - absolute path of a (vfsmount, dentry) pair, built in BPF.
 *
 * Why a hand-made walk: bpf_d_path only works in iterators on this kernel and
 * kprobes/fentry are unavailable (see bpf/README.md). So we do what d_path
 * does, bounded: climb d_parent, and at the root of a mount continue from the
 * mount point in the parent mount (struct mount is container_of(vfsmount)).
 *
 * Limits, all visible to the caller as a truncation:
 *   - at most AS_PATH_STEPS steps (components + mount crossings);
 *   - at most AS_MAX_PATH - 1 bytes;
 *   - names are read without the kernel's rename_lock, so a concurrent rename
 *     can yield a mixed path (never a fault);
 *   - the walk ends at the root mount of the mount namespace (the global
 *     root outside containers), ignoring chroot; files of pseudo filesystems
 *     (pipes, sockets, anon inodes) come out as "/" + name.
 */
#ifndef AGENTSIGHT_PATH_BPF_H
#define AGENTSIGHT_PATH_BPF_H

#include "common.bpf.h"

#define AS_PATH_STEPS 256
#define AS_NAME_MAX 255

/* The name is written backwards from the end of [0, AS_MAX_PATH); the buffer
 * is twice that so every masked offset + bounded length stays inside it, which
 * is what lets the verifier accept variable offsets. */
struct as_path_scratch {
	char b[2 * AS_MAX_PATH];
};

/* One per CPU, shared by name between objects (same definition everywhere).
 * Only task-context programs use it, and those do not nest on a CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct as_path_scratch);
} as_path_buf SEC(".maps");

struct as_path_walk {
	struct dentry *dentry;
	struct mount *mnt;
	__u32 pos;   /* first byte of the path built so far */
	__u32 done;  /* reached the root */
	__u32 trunc; /* ran out of room */
};

static long as_path_step(__u32 i, void *arg)
{
	struct as_path_walk *w = arg;
	(void)i;
	__u32 zero = 0;
	struct as_path_scratch *s = bpf_map_lookup_elem(&as_path_buf, &zero);
	if (!s)
		return 1;

	/* Locals, not w->...: CO-RE must relocate only the kernel structs. */
	struct dentry *d = w->dentry;
	struct mount *m = w->mnt;
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	struct dentry *mnt_root = BPF_CORE_READ(m, mnt.mnt_root);

	if (d == mnt_root || d == parent || !d) {
		struct mount *up = BPF_CORE_READ(m, mnt_parent);
		/* The global root, or a detached/pseudo mount: stop. */
		if (d != mnt_root || !up || up == m) {
			w->done = 1;
			return 1;
		}
		w->dentry = BPF_CORE_READ(m, mnt_mountpoint);
		w->mnt = up;
		return 0;
	}

	struct qstr q = {};
	bpf_core_read(&q, sizeof(q), &d->d_name);
	__u32 len = q.len;
	if (len > AS_NAME_MAX)
		len = AS_NAME_MAX;
	if (len + 1 > w->pos) {
		w->trunc = 1;
		return 1;
	}
	w->pos -= len;
	bpf_probe_read_kernel(&s->b[w->pos & (AS_MAX_PATH - 1)], len & AS_NAME_MAX, q.name);
	w->pos -= 1;
	s->b[w->pos & (AS_MAX_PATH - 1)] = '/';
	w->dentry = parent;
	return 0;
}

/*
 * Copy the absolute path of (vfsmnt, dentry) to dst, which must have room
 * for AS_MAX_PATH bytes. Returns the length (no NUL is written); sets *trunc
 * when the path was cut (too deep or too long: then the tail is kept).
 */
static __always_inline __u32 as_path_copy(char *dst, struct vfsmount *vfsmnt,
					  struct dentry *dentry, __u32 *trunc)
{
	__u32 zero = 0;
	struct as_path_scratch *s = bpf_map_lookup_elem(&as_path_buf, &zero);
	if (!s || !vfsmnt || !dentry)
		return 0;

	struct as_path_walk w = {
		.dentry = dentry,
		/* struct mount embeds the vfsmount: container_of, CO-RE relocated. */
		.mnt = (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt),
		.pos = AS_MAX_PATH,
	};
	bpf_loop(AS_PATH_STEPS, as_path_step, &w, 0);
	if (!w.done)
		w.trunc = 1;
	if (w.pos == AS_MAX_PATH) {
		/* The root itself. */
		w.pos = AS_MAX_PATH - 1;
		s->b[AS_MAX_PATH - 1] = '/';
	}
	*trunc = w.trunc;

	__u32 pos = w.pos;
	if (pos >= AS_MAX_PATH)
		return 0;
	__u32 len = AS_MAX_PATH - pos;
	if (len > AS_MAX_PATH || len == 0)
		return 0;
	bpf_probe_read_kernel(dst, len, &s->b[pos]);
	return len;
}

/* Path of a struct path (fs->pwd, file->f_path). */
static __always_inline __u32 as_path_of(char *dst, const struct path *p, __u32 *trunc)
{
	struct vfsmount *mnt = BPF_CORE_READ(p, mnt);
	struct dentry *d = BPF_CORE_READ(p, dentry);
	return as_path_copy(dst, mnt, d, trunc);
}

/* Current working directory of a task. */
static __always_inline __u32 as_cwd_of(char *dst, struct task_struct *t, __u32 *trunc)
{
	struct fs_struct *fs = BPF_CORE_READ(t, fs);
	if (!fs)
		return 0;
	return as_path_of(dst, &fs->pwd, trunc);
}

#endif /* AGENTSIGHT_PATH_BPF_H */
