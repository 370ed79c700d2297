// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tls.bpf.c - the TLS collector: decrypted plaintext at SSL_read/SSL_write.
 *
 * The uprobe programs carry no binary in their SEC name: the helper's
 * TlsAttacher (helper/tls/) finds the functions in each binary a traced
 * process maps and attaches these programs for that pid only, at file
 * offsets. A bystander mapping the same libssl pays no trap.
 *
 * Flow per call: the entry probe pushes {ssl, buf, out, sp, api} on the
 * thread's small call stack; the return probe pairs itself with its entry by
 * stack pointer, learns the real length (ret, or *readbytes / *written for
 * the _ex variants) and emits the plaintext as ceil(len / AS_TLS_CHUNK)
 * exactly-sized AS_EV_TLS_DATA records sharing one call_id. Emitting on
 * return only matters: SSL_write is re-entered after WANT_WRITE, so an entry
 * probe would report the same bytes twice.
 *
 * The socket fd is not an SSL_* argument. While a call is active on a thread,
 * the read/write-family syscalls it makes reveal the fd; it is kept per
 * {tgid, SSL*} so later calls served from OpenSSL's buffer still carry it.
 * Limit: stacks whose SSL object talks to a memory BIO (node's TLSWrap) make
 * no nested syscall, so their fd stays -1.
 */
#include "common.bpf.h"

/* Bytes copied per call at most (set by the loader before load). Bytes
 * beyond it are counted in the last chunk's `dropped`, never silently cut. */
const volatile __u32 as_tls_cap_bytes = 4 << 20;

/* Collector-local counters the helper may read (index = enum below). They
 * explain records that could not be produced at all. */
enum tls_stat {
	TLS_STAT_CALLS = 0,        /* calls emitted (one or more records) */
	TLS_STAT_NO_ENTRY = 1,     /* return probe without a saved entry */
	TLS_STAT_READ_FAULT = 2,   /* chunk bytes unreadable (bpf_probe_read_user) */
	TLS_STAT_LEN_FAULT = 3,    /* *_ex out length unreadable at return */
	TLS_STAT_API_MISMATCH = 4, /* return of a different function than the entry saved */
	TLS_STAT_NESTED = 5,       /* entry while another call was active on the thread */
	TLS_STAT_TOO_DEEP = 6,     /* nested deeper than TLS_MAX_DEPTH: call not captured */
	TLS_STAT_STALE = 7,        /* entries whose return never came (longjmp, unwinding) */
	TLS_STAT_MAX = 8
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TLS_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} tls_stats SEC(".maps");

/* One in-flight SSL call per thread. LRU: a return probe that never fires
 * (thread killed mid-call, longjmp) must not leak an entry forever. */
struct tls_call {
	__u64 ssl;
	__u64 buf;
	__u64 out; /* size_t * of the _ex variants, else 0 */
	__u64 sp;  /* stack pointer at entry: pairs the return with its entry */
	__s32 fd;  /* learnt from a nested syscall, else -1 */
	__u32 api; /* enum as_tls_api */
};

/* Calls can nest on one thread (seen with node: an SSL_* call made from a
 * callback inside another), so each thread keeps a small stack. A return is
 * paired with its entry by stack pointer (at return, sp = entry sp + 8 on
 * x86-64): entries above it whose return never came are dropped as stale,
 * so a lost return cannot wedge the thread. */
#define TLS_MAX_DEPTH 4

struct tls_thread {
	struct tls_call calls[TLS_MAX_DEPTH];
	__u32 depth;
	__u32 _pad;
};

/* LRU: a thread that dies mid-call must not leak its entry forever. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64); /* pid_tgid: the thread */
	__type(value, struct tls_thread);
} tls_active SEC(".maps");

struct tls_conn_key {
	__u32 tgid;
	__u32 _pad;
	__u64 ssl;
};

/* The socket fd last seen under each SSL object. LRU because SSL_free is not
 * probed: stale entries age out instead of growing the map. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct tls_conn_key);
	__type(value, __s32);
} tls_conn_fd SEC(".maps");

/* Scratch record: header + one chunk. Too big for the 512-byte stack, so a
 * per-CPU array; the ring gets only the used bytes (bpf_ringbuf_output). */
struct tls_scratch {
	struct as_tls_data rec;
	__u8 data[AS_TLS_CHUNK];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tls_scratch);
} tls_scratch_map SEC(".maps");

/* call_id source: unique within the TLS source (this object only). */
__u64 tls_call_counter = 0;

static __always_inline void tls_stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&tls_stats, &idx);
	if (v)
		*v += 1;
}

/* The innermost active call of the current thread, or NULL. */
static __always_inline struct tls_call *tls_top(struct tls_thread *t)
{
	__u32 d = t->depth;
	if (d == 0 || d > TLS_MAX_DEPTH)
		return NULL;
	return &t->calls[(d - 1) & (TLS_MAX_DEPTH - 1)];
}

static __always_inline int tls_enter(struct pt_regs *regs, void *ssl, void *buf, void *out, __u32 api)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!as_is_tracked(id >> 32))
		return 0;
	__u64 sp = PT_REGS_SP(regs);
	struct tls_thread *t = bpf_map_lookup_elem(&tls_active, &id);
	if (!t) {
		struct tls_thread fresh = {};
		bpf_map_update_elem(&tls_active, &id, &fresh, BPF_NOEXIST);
		t = bpf_map_lookup_elem(&tls_active, &id);
		if (!t)
			return 0;
	}
	/* Entries at or below our sp belong to frames that are gone (the stack
	 * grows down: a live caller's frame has a higher sp). */
	for (int i = 0; i < TLS_MAX_DEPTH; i++) {
		struct tls_call *top = tls_top(t);
		if (!top || top->sp > sp)
			break;
		t->depth--;
		tls_stat_inc(TLS_STAT_STALE);
	}
	__u32 d = t->depth;
	if (d >= TLS_MAX_DEPTH) {
		tls_stat_inc(TLS_STAT_TOO_DEEP);
		return 0;
	}
	if (d > 0)
		tls_stat_inc(TLS_STAT_NESTED);
	struct tls_call *c = &t->calls[d & (TLS_MAX_DEPTH - 1)];
	c->ssl = (__u64)ssl;
	c->buf = (__u64)buf;
	c->out = (__u64)out;
	c->sp = sp;
	c->fd = -1;
	c->api = api;
	t->depth = d + 1;
	return 0;
}

struct tls_emit_ctx {
	struct tls_call *call;
	__u64 call_id;
	__u32 total;  /* bytes the call returned */
	__u32 copy;   /* bytes we copy: min(total, cap) */
	__u32 chunks; /* ceil(copy / AS_TLS_CHUNK), at least 1 */
	__u32 fd;
	__u8 dir;
};

static long tls_emit_chunk(__u32 i, void *data)
{
	struct tls_emit_ctx *ctx = data;
	__u32 zero = 0;
	struct tls_scratch *s = bpf_map_lookup_elem(&tls_scratch_map, &zero);
	if (!s)
		return 1;

	__u32 off = i * AS_TLS_CHUNK;
	__u32 len = 0;
	if (off < ctx->copy)
		len = ctx->copy - off;
	if (len > AS_TLS_CHUNK)
		len = AS_TLS_CHUNK;
	/* Re-bound for the verifier after the arithmetic above. */
	len &= (2 * AS_TLS_CHUNK - 1);
	if (len > AS_TLS_CHUNK)
		return 1;

	struct as_tls_data *r = &s->rec;
	__u32 dropped = 0;
	__u16 flags = 0;
	bool last = (i + 1 >= ctx->chunks);
	if (len && bpf_probe_read_user(s->data, len, (void *)(ctx->call->buf + off))) {
		/* Unreadable user page: send an empty chunk rather than garbage.
		 * `dropped` is the tail of the call that is missing (last chunk
		 * only); a hole in the middle shows as the next chunk's offset. */
		tls_stat_inc(TLS_STAT_READ_FAULT);
		if (last)
			dropped = len;
		len = 0;
		flags |= AS_F_TRUNCATED;
	}
	if (last && ctx->total > ctx->copy) {
		dropped += ctx->total - ctx->copy;
		flags |= AS_F_TRUNCATED;
	}

	__u32 size = sizeof(*r) + len;
	as_fill_header(&r->h, AS_EV_TLS_DATA, size, AS_SRC_TLS);
	r->h.flags = flags;
	r->conn = ctx->call->ssl;
	r->call_id = ctx->call_id;
	r->fd = (__s32)ctx->fd;
	r->dir = ctx->dir;
	r->api = ctx->call->api;
	r->_pad = 0;
	r->total_len = ctx->total;
	r->offset = off;
	r->len = len;
	r->dropped = dropped;
	/* A full ring drops this chunk; as_output counts it and the seq gap
	 * shows it. Later chunks are still tried (the ring may drain). */
	as_output(s, size, AS_SRC_TLS);
	return 0;
}

/* ret_len: bytes the call produced (> 0), already decided by the caller. */
static __always_inline void tls_emit(struct tls_call *call, __u32 ret_len, __u64 pid_tgid)
{
	struct tls_emit_ctx ctx = {};
	ctx.call = call;
	ctx.call_id = __sync_fetch_and_add(&tls_call_counter, 1) + 1;
	ctx.total = ret_len;
	ctx.copy = ret_len < as_tls_cap_bytes ? ret_len : as_tls_cap_bytes;
	ctx.chunks = (ctx.copy + AS_TLS_CHUNK - 1) / AS_TLS_CHUNK;
	if (ctx.chunks == 0)
		ctx.chunks = 1; /* cap 0: one empty record still reports the call */
	ctx.dir = (call->api == AS_TLS_API_SSL_READ || call->api == AS_TLS_API_SSL_READ_EX)
			  ? AS_TLS_READ
			  : AS_TLS_WRITE;

	__s32 fd = call->fd;
	struct tls_conn_key key = { .tgid = pid_tgid >> 32, .ssl = call->ssl };
	if (fd < 0) {
		__s32 *known = bpf_map_lookup_elem(&tls_conn_fd, &key);
		if (known)
			fd = *known;
	}
	ctx.fd = (__u32)fd;

	tls_stat_inc(TLS_STAT_CALLS);
	bpf_loop(ctx.chunks, tls_emit_chunk, &ctx, 0);
}

/* is_ex: the length is in *out and ret is 1 on success; else ret is it. */
static __always_inline int tls_return(struct pt_regs *regs, long ret, __u32 api, bool is_ex)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!as_is_tracked(id >> 32))
		return 0;
	struct tls_thread *t = bpf_map_lookup_elem(&tls_active, &id);
	if (!t) {
		tls_stat_inc(TLS_STAT_NO_ENTRY);
		return 0;
	}
	/* Our entry saw sp = (sp now) - 8: the return address was popped. Drop
	 * deeper entries whose return never came, then expect ours on top. */
	__u64 entry_sp = PT_REGS_SP(regs) - 8;
	struct tls_call *call = NULL;
	for (int i = 0; i < TLS_MAX_DEPTH; i++) {
		struct tls_call *top = tls_top(t);
		if (!top || top->sp > entry_sp)
			break;
		if (top->sp == entry_sp) {
			call = top;
			break;
		}
		t->depth--;
		tls_stat_inc(TLS_STAT_STALE);
	}
	if (!call) {
		/* Entry not recorded (too deep, or attached mid-call). */
		tls_stat_inc(TLS_STAT_NO_ENTRY);
		return 0;
	}
	t->depth--; /* pop now; `call` stays readable until the next entry */
	if (call->api != api) {
		tls_stat_inc(TLS_STAT_API_MISMATCH);
		return 0;
	}

	__u64 len = 0;
	if (is_ex) {
		if (ret == 1 && call->out) {
			if (bpf_probe_read_user(&len, sizeof(len), (void *)call->out)) {
				tls_stat_inc(TLS_STAT_LEN_FAULT);
				len = 0;
			}
		}
	} else if (ret > 0) {
		len = ret;
	}
	/* SSL_* lengths are int-sized; anything larger is a corrupt read. */
	if (len > 0 && len <= 0x7fffffff)
		tls_emit(call, (__u32)len, id);
	return 0;
}

/* BPF_KPROBE/BPF_KRETPROBE only name pt_regs arguments; they serve uprobes
 * too (libbpf 1.1 has no BPF_UPROBE spelling). */

/* int SSL_read(SSL *ssl, void *buf, int num) */
SEC("uprobe")
int BPF_KPROBE(handle_ssl_read_enter, void *ssl, void *buf, int num)
{
	return tls_enter(ctx, ssl, buf, 0, AS_TLS_API_SSL_READ);
}

SEC("uretprobe")
int BPF_KRETPROBE(handle_ssl_read_return, int ret)
{
	return tls_return(ctx, ret, AS_TLS_API_SSL_READ, false);
}

/* int SSL_write(SSL *ssl, const void *buf, int num) */
SEC("uprobe")
int BPF_KPROBE(handle_ssl_write_enter, void *ssl, void *buf, int num)
{
	return tls_enter(ctx, ssl, buf, 0, AS_TLS_API_SSL_WRITE);
}

SEC("uretprobe")
int BPF_KRETPROBE(handle_ssl_write_return, int ret)
{
	return tls_return(ctx, ret, AS_TLS_API_SSL_WRITE, false);
}

/* int SSL_read_ex(SSL *ssl, void *buf, size_t num, size_t *readbytes) */
SEC("uprobe")
int BPF_KPROBE(handle_ssl_read_ex_enter, void *ssl, void *buf, __u64 num, void *readbytes)
{
	return tls_enter(ctx, ssl, buf, readbytes, AS_TLS_API_SSL_READ_EX);
}

SEC("uretprobe")
int BPF_KRETPROBE(handle_ssl_read_ex_return, int ret)
{
	return tls_return(ctx, ret, AS_TLS_API_SSL_READ_EX, true);
}

/* int SSL_write_ex(SSL *ssl, const void *buf, size_t num, size_t *written) */
SEC("uprobe")
int BPF_KPROBE(handle_ssl_write_ex_enter, void *ssl, void *buf, __u64 num, void *written)
{
	return tls_enter(ctx, ssl, buf, written, AS_TLS_API_SSL_WRITE_EX);
}

SEC("uretprobe")
int BPF_KRETPROBE(handle_ssl_write_ex_return, int ret)
{
	return tls_return(ctx, ret, AS_TLS_API_SSL_WRITE_EX, true);
}

#define TLS_S_IFMT 0170000
#define TLS_S_IFSOCK 0140000

/* Is `fd` of the current task a socket? read/write also reach pipes and
 * eventfds (node writes its libuv wakeup eventfd inside SSL_write), which
 * must not be taken for the connection's fd. Unlocked probe reads of
 * current->files: fine inside the task's own syscall, which holds the fd. */
static __always_inline bool tls_fd_is_socket(__s32 fd)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	if (!fdt || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return false;
	struct file **arr = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	if (bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]) || !f)
		return false;
	umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
	return (mode & TLS_S_IFMT) == TLS_S_IFSOCK;
}

/* fd discovery. Cheap for everyone else: untracked tgids and threads with
 * no active SSL call return after one or two map lookups. */
static __always_inline int tls_note_fd(struct trace_event_raw_sys_enter *ctx, bool socket_only_call)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!as_is_tracked(id >> 32))
		return 0;
	struct tls_thread *t = bpf_map_lookup_elem(&tls_active, &id);
	if (!t)
		return 0;
	struct tls_call *call = tls_top(t);
	if (!call)
		return 0;
	__s32 fd = (__s32)ctx->args[0];
	if (fd < 0)
		return 0;
	if (!socket_only_call && !tls_fd_is_socket(fd))
		return 0;
	call->fd = fd;
	struct tls_conn_key key = { .tgid = id >> 32, .ssl = call->ssl };
	bpf_map_update_elem(&tls_conn_fd, &key, &fd, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_read")
int handle_tls_fd_read(struct trace_event_raw_sys_enter *ctx) { return tls_note_fd(ctx, false); }

SEC("tracepoint/syscalls/sys_enter_write")
int handle_tls_fd_write(struct trace_event_raw_sys_enter *ctx) { return tls_note_fd(ctx, false); }

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int handle_tls_fd_recvfrom(struct trace_event_raw_sys_enter *ctx) { return tls_note_fd(ctx, true); }

SEC("tracepoint/syscalls/sys_enter_sendto")
int handle_tls_fd_sendto(struct trace_event_raw_sys_enter *ctx) { return tls_note_fd(ctx, true); }

SEC("tracepoint/syscalls/sys_enter_readv")
int handle_tls_fd_readv(struct trace_event_raw_sys_enter *ctx) { return tls_note_fd(ctx, false); }

SEC("tracepoint/syscalls/sys_enter_writev")
int handle_tls_fd_writev(struct trace_event_raw_sys_enter *ctx) { return tls_note_fd(ctx, false); }

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int handle_tls_fd_recvmsg(struct trace_event_raw_sys_enter *ctx) { return tls_note_fd(ctx, true); }

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int handle_tls_fd_sendmsg(struct trace_event_raw_sys_enter *ctx) { return tls_note_fd(ctx, true); }

char LICENSE[] SEC("license") = "Dual BSD/GPL";
