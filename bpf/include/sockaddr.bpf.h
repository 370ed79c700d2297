/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sockaddr.bpf.h - filling struct as_sockaddr from a user sockaddr (as
 * passed to connect/bind/sendto) or from a kernel socket (accept, listen).
 *
 * Only AF_INET, AF_INET6 and AF_UNIX are decoded; other families keep just
 * `family`. Abstract unix names start with a NUL byte and are copied raw.
 */
#ifndef AGENTSIGHT_SOCKADDR_BPF_H
#define AGENTSIGHT_SOCKADDR_BPF_H

#include "common.bpf.h"
#include <bpf/bpf_endian.h>

#define AS_AF_UNIX 1
#define AS_AF_INET 2
#define AS_AF_INET6 10
#define AS_SOCK_STREAM 1
#define AS_SOCK_DGRAM 2
#define AS_UNIX_PATH_MAX 108

static __always_inline void as_sockaddr_clear(struct as_sockaddr *o)
{
	__builtin_memset(o, 0, sizeof(*o));
}

/* o must be zeroed. Returns the family, or 0 when nothing could be read. */
static __always_inline __u16 as_sockaddr_user(struct as_sockaddr *o, const void *uaddr, __u32 alen)
{
	__u16 fam = 0;
	if (!uaddr || alen < sizeof(fam) || bpf_probe_read_user(&fam, sizeof(fam), uaddr))
		return 0;
	o->family = fam;
	if (fam == AS_AF_INET && alen >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin = {};
		bpf_probe_read_user(&sin, sizeof(sin), uaddr);
		o->port = bpf_ntohs(sin.sin_port);
		__builtin_memcpy(o->addr, &sin.sin_addr, 4);
	} else if (fam == AS_AF_INET6 && alen >= 24) {
		/* 24 = sockaddr_in6 without sin6_scope_id (RFC 2133), which the
		 * kernel accepts too. */
		struct sockaddr_in6 sin6 = {};
		bpf_probe_read_user(&sin6, 24, uaddr);
		o->port = bpf_ntohs(sin6.sin6_port);
		__builtin_memcpy(o->addr, &sin6.sin6_addr, 16);
	} else if (fam == AS_AF_UNIX) {
		/* 64-bit on purpose: the verifier must see the clamped value. */
		__u64 n = (__u64)alen - sizeof(fam);
		if (n > AS_UNIX_PATH_MAX)
			n = AS_UNIX_PATH_MAX;
		bpf_probe_read_user(o->unix_path, n, uaddr + sizeof(fam));
	}
	return fam;
}

/* The bound name of a unix socket, if any. */
static __always_inline void as_unix_name(struct as_sockaddr *o, struct sock *sk)
{
	struct unix_address *ua = BPF_CORE_READ((struct unix_sock *)sk, addr);
	if (!ua)
		return;
	int len = BPF_CORE_READ(ua, len);
	__u64 n = len > 2 ? (__u64)len - 2 : 0;
	if (n > AS_UNIX_PATH_MAX)
		n = AS_UNIX_PATH_MAX;
	bpf_probe_read_kernel(o->unix_path, n, &ua->name[0].sun_path);
}

/* o must be zeroed. remote: the peer's address, else the local one. */
static __always_inline void as_sockaddr_sock(struct as_sockaddr *o, struct sock *sk, int remote)
{
	if (!sk)
		return;
	__u16 fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	o->family = fam;
	if (fam == AS_AF_INET) {
		__u32 a = remote ? BPF_CORE_READ(sk, __sk_common.skc_daddr)
				 : BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__builtin_memcpy(o->addr, &a, 4);
	} else if (fam == AS_AF_INET6) {
		if (remote)
			BPF_CORE_READ_INTO(o->addr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
		else
			BPF_CORE_READ_INTO(o->addr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
	} else if (fam == AS_AF_UNIX) {
		if (remote)
			sk = BPF_CORE_READ((struct unix_sock *)sk, peer);
		if (sk)
			as_unix_name(o, sk);
		return;
	}
	o->port = remote ? bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport))
			 : BPF_CORE_READ(sk, __sk_common.skc_num);
}

#endif /* AGENTSIGHT_SOCKADDR_BPF_H */
