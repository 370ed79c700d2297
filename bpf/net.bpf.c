// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * net.bpf.c - the network collector: connect, accept, bind, listen, DNS
 * queries (raw bytes of UDP messages to port 53) and the TCP state changes
 * of sockets a tracked process connected or accepted.
 *
 * TCP state changes after SYN_SENT run in softirq context, where `current`
 * is whatever task was interrupted: the owner is remembered per socket
 * (net_tcp_owner) when the tracked task itself moves the socket
 * (CLOSE -> SYN_SENT inside connect) or accepts it, and records carry that
 * owner's tgid.
 */
#include "common.bpf.h"
#include "fd.bpf.h"
#include "sockaddr.bpf.h"
#include "syscall.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AS_DNS_PORT 53
#define AS_EAGAIN 11
/* glibc sends the A and AAAA queries in one sendmmsg; a few more are fine. */
#define NET_MMSG_MAX 4

enum {
	NET_NR_CONNECT = 1,
	NET_NR_ACCEPT,
	NET_NR_BIND,
	NET_NR_LISTEN,
	NET_NR_SENDTO,
	NET_NR_SENDMSG,
	NET_NR_SENDMMSG,
	NET_NR_WRITE,
};

AS_DEFINE_ARGS_MAP(net_args);

/* UDP sockets connect()ed to port 53: {tgid, fd} -> the server. Forgotten
 * on close or re-connect; LRU so sockets of vanished processes age out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct as_fd_key);
	__type(value, struct as_sockaddr);
} net_dns_fds SEC(".maps");

/* TCP sockets owned by tracked processes: skaddr -> tgid. Entries leave at
 * TCP_CLOSE; LRU bounds the map if a close is ever missed. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u32);
} net_tcp_owner SEC(".maps");

#define NET_SCRATCH (sizeof(struct as_net_dns) + AS_MAX_DNS)
struct net_scratch_buf {
	__u8 b[NET_SCRATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct net_scratch_buf);
} net_scratch SEC(".maps");

#define SAVE_ON_ENTER(sc, nr, nargs)                                    \
	SEC("tracepoint/syscalls/sys_enter_" #sc)                       \
	int handle_##sc##_enter(struct trace_event_raw_sys_enter *ctx)  \
	{                                                               \
		if (!as_is_tracked(as_tgid()))                          \
			return 0;                                       \
		as_args_save(&net_args, ctx, nr, nargs);                \
		return 0;                                               \
	}

static __always_inline __u32 sock_type_of(struct socket *s)
{
	return s ? (__u32)BPF_CORE_READ(s, type) : 0;
}

static __always_inline void remember_tcp(struct sock *sk, __u32 tgid)
{
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return;
	__u64 key = (__u64)sk;
	bpf_map_update_elem(&net_tcp_owner, &key, &tgid, BPF_ANY);
}

/* ---- connect, accept, bind, listen ---- */

static __always_inline int conn_exit(long ret, __u32 nr, __u16 type)
{
	struct as_sys_args a;
	if (as_args_take(&net_args, nr, &a))
		return 0;
	/* Non-blocking accept loops poll with EAGAIN: not an event. */
	if (nr == NET_NR_ACCEPT && ret == -AS_EAGAIN)
		return 0;

	struct task_struct *task = bpf_get_current_task_btf();
	__s32 fd = nr == NET_NR_ACCEPT ? (__s32)ret : (__s32)a.a[0];
	struct socket *sock = as_fd_socket(task, fd);

	struct as_net_conn *r = as_reserve(sizeof(*r), AS_SRC_NET);
	if (!r)
		return 0;
	as_fill_header(&r->h, type, sizeof(*r), AS_SRC_NET);
	r->fd = fd;
	r->result = ret;
	r->sock_type = sock_type_of(sock);
	r->backlog = nr == NET_NR_LISTEN ? (__u32)a.a[1] : 0;
	as_sockaddr_clear(&r->addr);

	switch (nr) {
	case NET_NR_CONNECT:
	case NET_NR_BIND:
		as_sockaddr_user(&r->addr, (void *)a.a[1], (__u32)a.a[2]);
		break;
	case NET_NR_ACCEPT:
		if (ret >= 0 && sock) {
			struct sock *sk = BPF_CORE_READ(sock, sk);
			as_sockaddr_sock(&r->addr, sk, 1);
			remember_tcp(sk, r->h.tgid);
		}
		break;
	case NET_NR_LISTEN:
		if (sock)
			as_sockaddr_sock(&r->addr, BPF_CORE_READ(sock, sk), 0);
		break;
	}

	if (nr == NET_NR_CONNECT) {
		struct as_fd_key k = { .tgid = r->h.tgid, .fd = fd };
		if (r->sock_type == AS_SOCK_DGRAM && r->addr.port == AS_DNS_PORT &&
		    (r->addr.family == AS_AF_INET || r->addr.family == AS_AF_INET6) &&
		    (ret == 0 || ret == -EINPROGRESS))
			bpf_map_update_elem(&net_dns_fds, &k, &r->addr, BPF_ANY);
		else
			bpf_map_delete_elem(&net_dns_fds, &k);
	}
	as_submit(r);
	return 0;
}

SAVE_ON_ENTER(connect, NET_NR_CONNECT, 3)
SAVE_ON_ENTER(accept, NET_NR_ACCEPT, 3)
SAVE_ON_ENTER(accept4, NET_NR_ACCEPT, 4)
SAVE_ON_ENTER(bind, NET_NR_BIND, 3)
SAVE_ON_ENTER(listen, NET_NR_LISTEN, 2)

SEC("tracepoint/syscalls/sys_exit_connect")
int handle_connect_exit(struct trace_event_raw_sys_exit *ctx)
{
	return conn_exit(ctx->ret, NET_NR_CONNECT, AS_EV_NET_CONNECT);
}
SEC("tracepoint/syscalls/sys_exit_accept")
int handle_accept_exit(struct trace_event_raw_sys_exit *ctx)
{
	return conn_exit(ctx->ret, NET_NR_ACCEPT, AS_EV_NET_ACCEPT);
}
SEC("tracepoint/syscalls/sys_exit_accept4")
int handle_accept4_exit(struct trace_event_raw_sys_exit *ctx)
{
	return conn_exit(ctx->ret, NET_NR_ACCEPT, AS_EV_NET_ACCEPT);
}
SEC("tracepoint/syscalls/sys_exit_bind")
int handle_bind_exit(struct trace_event_raw_sys_exit *ctx)
{
	return conn_exit(ctx->ret, NET_NR_BIND, AS_EV_NET_BIND);
}
SEC("tracepoint/syscalls/sys_exit_listen")
int handle_listen_exit(struct trace_event_raw_sys_exit *ctx)
{
	return conn_exit(ctx->ret, NET_NR_LISTEN, AS_EV_NET_LISTEN);
}

/* ---- DNS ---- */

/* Is this send going to port 53? The destination is the explicit address
 * if one was given (then the socket must be UDP), else what the fd was
 * connect()ed to. Fills *server. */
static __always_inline int dns_dest(struct as_sockaddr *server, __u32 tgid, __s32 fd,
				    const void *uaddr, __u32 alen)
{
	as_sockaddr_clear(server);
	if (uaddr && alen) {
		__u16 fam = as_sockaddr_user(server, uaddr, alen);
		if ((fam != AS_AF_INET && fam != AS_AF_INET6) || server->port != AS_DNS_PORT)
			return 0;
		return sock_type_of(as_fd_socket(bpf_get_current_task_btf(), fd)) == AS_SOCK_DGRAM;
	}
	struct as_fd_key k = { .tgid = tgid, .fd = fd };
	struct as_sockaddr *known = bpf_map_lookup_elem(&net_dns_fds, &k);
	if (!known)
		return 0;
	__builtin_memcpy(server, known, sizeof(*server));
	return 1;
}

/* Emit one query: len bytes (capped at AS_MAX_DNS, flagged if cut) at data. */
static __always_inline void dns_emit(__u8 *buf, __s32 fd, const void *data, __u64 len)
{
	struct as_net_dns *r = (void *)buf;
	__u32 n = len > AS_MAX_DNS ? AS_MAX_DNS : len;
	if (n > AS_MAX_DNS)
		return;
	if (bpf_probe_read_user(buf + sizeof(*r), n, data))
		n = 0;
	r->fd = fd;
	r->len = n;
	r->_pad = 0;
	__u32 size = sizeof(*r) + n;
	as_fill_header(&r->h, AS_EV_NET_DNS, size, AS_SRC_NET);
	if (len > AS_MAX_DNS || (len && !n))
		r->h.flags |= AS_F_TRUNCATED;
	as_output(buf, size, AS_SRC_NET);
}

static __always_inline __u8 *net_buf(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&net_scratch, &zero);
}

/* write(): only worth an argument slot for fds known to be DNS sockets. */
SEC("tracepoint/syscalls/sys_enter_write")
int handle_write_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tgid = as_tgid();
	if (!as_is_tracked(tgid))
		return 0;
	struct as_fd_key k = { .tgid = tgid, .fd = (__s32)ctx->args[0] };
	if (!bpf_map_lookup_elem(&net_dns_fds, &k))
		return 0;
	as_args_save(&net_args, ctx, NET_NR_WRITE, 3);
	return 0;
}

SAVE_ON_ENTER(sendto, NET_NR_SENDTO, 6)
SAVE_ON_ENTER(sendmsg, NET_NR_SENDMSG, 3)
SAVE_ON_ENTER(sendmmsg, NET_NR_SENDMMSG, 4)

/* write(fd, buf, n) and sendto(fd, buf, n, flags, addr, alen) */
static __always_inline int send_exit(long ret, __u32 nr)
{
	struct as_sys_args a;
	if (as_args_take(&net_args, nr, &a) || ret <= 0)
		return 0;
	__u8 *buf = net_buf();
	if (!buf)
		return 0;
	struct as_net_dns *r = (void *)buf;
	__s32 fd = (__s32)a.a[0];
	const void *uaddr = nr == NET_NR_SENDTO ? (void *)a.a[4] : NULL;
	__u32 alen = nr == NET_NR_SENDTO ? (__u32)a.a[5] : 0;
	if (!dns_dest(&r->server, as_tgid(), fd, uaddr, alen))
		return 0;
	dns_emit(buf, fd, (void *)a.a[1], ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_write")
int handle_write_exit(struct trace_event_raw_sys_exit *ctx)
{
	return send_exit(ctx->ret, NET_NR_WRITE);
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int handle_sendto_exit(struct trace_event_raw_sys_exit *ctx)
{
	return send_exit(ctx->ret, NET_NR_SENDTO);
}

/* One struct user_msghdr: destination from msg_name, bytes from the first
 * iovec (resolvers put a whole query in one), at most sent bytes. */
static __always_inline void msghdr_dns(__u8 *buf, __s32 fd, const struct user_msghdr *um, __u64 sent)
{
	struct as_net_dns *r = (void *)buf;
	struct user_msghdr m = {};
	if (bpf_probe_read_user(&m, sizeof(m), um))
		return;
	if (!dns_dest(&r->server, as_tgid(), fd, m.msg_name, m.msg_namelen))
		return;
	struct iovec iov = {};
	if (!m.msg_iovlen || bpf_probe_read_user(&iov, sizeof(iov), m.msg_iov))
		return;
	__u64 len = iov.iov_len < sent ? iov.iov_len : sent;
	dns_emit(buf, fd, iov.iov_base, len);
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int handle_sendmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct as_sys_args a;
	long ret = ctx->ret;
	if (as_args_take(&net_args, NET_NR_SENDMSG, &a) || ret <= 0)
		return 0;
	__u8 *buf = net_buf();
	if (buf)
		msghdr_dns(buf, (__s32)a.a[0], (void *)a.a[1], ret);
	return 0;
}

/* struct mmsghdr is user ABI (never changes). A plain mirror, because
 * indexing an array of the CO-RE-relocated vmlinux type with a variable
 * index made clang compute &vec[i] as &vec[0]. */
struct net_mmsghdr {
	struct user_msghdr hdr;
	__u32 len;
	__u32 _pad;
};

_Static_assert(sizeof(struct net_mmsghdr) == 64, "struct mmsghdr is 64 bytes on 64-bit");

/* sendmmsg returns how many messages went out; each has its msg_len. */
SEC("tracepoint/syscalls/sys_exit_sendmmsg")
int handle_sendmmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct as_sys_args a;
	long ret = ctx->ret;
	if (as_args_take(&net_args, NET_NR_SENDMMSG, &a) || ret <= 0)
		return 0;
	__u8 *buf = net_buf();
	if (!buf)
		return 0;
	const struct net_mmsghdr *vec = (void *)a.a[1];
	for (int i = 0; i < NET_MMSG_MAX; i++) {
		if (i >= ret)
			break;
		__u32 sent = 0;
		bpf_probe_read_user(&sent, sizeof(sent), &vec[i].len);
		msghdr_dns(buf, (__s32)a.a[0], &vec[i].hdr, sent);
	}
	return 0;
}

/* A closed fd number may be reused for anything: forget its DNS server. */
SEC("tracepoint/syscalls/sys_enter_close")
int handle_close_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tgid = as_tgid();
	if (!as_is_tracked(tgid))
		return 0;
	struct as_fd_key k = { .tgid = tgid, .fd = (__s32)ctx->args[0] };
	bpf_map_delete_elem(&net_dns_fds, &k);
	return 0;
}

/* ---- TCP state ---- */

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(handle_tcp_state, struct sock *sk, int oldstate, int newstate)
{
	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	__u64 key = (__u64)sk;
	__u64 id = bpf_get_current_pid_tgid();
	__u32 cur = id >> 32, owner;

	__u32 *known = bpf_map_lookup_elem(&net_tcp_owner, &key);
	if (known) {
		owner = *known;
	} else if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT && as_is_tracked(cur)) {
		/* Inside connect(): current is the owner. */
		owner = cur;
		bpf_map_update_elem(&net_tcp_owner, &key, &owner, BPF_ANY);
	} else {
		return 0;
	}

	struct as_net_tcp_state *r = as_reserve(sizeof(*r), AS_SRC_NET);
	if (r) {
		as_fill_header(&r->h, AS_EV_NET_TCP_STATE, sizeof(*r), AS_SRC_NET);
		r->h.tgid = owner;
		r->h.tid = cur == owner ? (__u32)id : 0; /* softirq: no owner thread */
		r->skaddr = key;
		r->oldstate = oldstate;
		r->newstate = newstate;
		r->family = BPF_CORE_READ(sk, __sk_common.skc_family);
		r->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
		r->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		r->_pad = 0;
		__builtin_memset(r->saddr, 0, sizeof(r->saddr));
		__builtin_memset(r->daddr, 0, sizeof(r->daddr));
		if (r->family == AS_AF_INET6) {
			BPF_CORE_READ_INTO(r->saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
			BPF_CORE_READ_INTO(r->daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
		} else {
			BPF_CORE_READ_INTO((__u32 *)r->saddr, sk, __sk_common.skc_rcv_saddr);
			BPF_CORE_READ_INTO((__u32 *)r->daddr, sk, __sk_common.skc_daddr);
		}
		as_submit(r);
	}
	if (newstate == TCP_CLOSE)
		bpf_map_delete_elem(&net_tcp_owner, &key);
	return 0;
}
