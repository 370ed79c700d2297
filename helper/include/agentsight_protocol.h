/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * agentsight_protocol.h - framing of the helper <-> client Unix socket.
 *
 * Shared by agentsight-helper and app/core (the client). Documented in
 * docs/PROTOCOL.md. Every frame, in both directions:
 *
 *     struct as_frame_header  (8 bytes: payload length, kind, flags)
 *     payload[length]
 *
 * The first frame the helper sends is AS_FRAME_HELLO. A client must refuse a
 * helper whose protocol major differs from its own. Event records
 * (agentsight_events.h) travel in AS_FRAME_EVENTS payloads, packed back to
 * back, each self-sized by as_event_header.size, in the order the helper read
 * them from the kernel.
 */
#ifndef AGENTSIGHT_PROTOCOL_H
#define AGENTSIGHT_PROTOCOL_H

#include "agentsight_events.h"

#define AS_PROTO_MAGIC 0x54484749534741ULL /* "AGSIGHT" little endian, 7 bytes + 0 */
#define AS_PROTO_MAJOR 1
#define AS_PROTO_MINOR 0

/* A frame never exceeds this: lets a reader reject garbage lengths before
 * allocating. Event batches are cut well below it. */
#define AS_FRAME_MAX (8u * 1024u * 1024u)

enum as_frame_kind {
	/* helper -> client */
	AS_FRAME_HELLO = 1,  /* struct as_hello */
	AS_FRAME_EVENTS = 2, /* packed event records */
	AS_FRAME_ERROR = 3,  /* struct as_error_frame + primary + secondary text */
	AS_FRAME_LOG = 4,    /* UTF-8 text line */
	AS_FRAME_READY = 5,  /* probes attached, targets running; empty payload */
	AS_FRAME_STATS = 6,  /* struct as_stats */
	AS_FRAME_BYE = 7,    /* helper exits; u32 exit code */
	/* client -> helper */
	AS_FRAME_ADD_PID = 32,    /* u32 pid */
	AS_FRAME_REMOVE_PID = 33, /* u32 pid */
	AS_FRAME_ADD_COMM = 34,   /* comm name bytes (<= 15) */
	AS_FRAME_STOP = 35,       /* empty: stop tracing and exit */
};

struct as_frame_header {
	__u32 length; /* payload bytes that follow */
	__u16 kind;   /* enum as_frame_kind */
	__u16 flags;  /* reserved, 0 */
};

struct as_hello {
	__u64 magic;          /* AS_PROTO_MAGIC */
	__u16 proto_major;
	__u16 proto_minor;
	__u16 schema_major;   /* AS_SCHEMA_MAJOR of the event records */
	__u16 schema_minor;
	__s64 boot_to_wall_ns; /* wall-clock ns = ktime_ns + boot_to_wall_ns */
	__u32 helper_pid;
	__u32 client_uid;     /* the uid this helper serves (root may see all) */
	__u32 ring_bytes;     /* kernel ring buffer size */
	__u32 tls_cap_bytes;  /* per-call TLS capture cap */
};

/* Error codes double as the helper's exit codes (docs/PROTOCOL.md). */
enum as_error_code {
	AS_OK = 0,
	AS_ERR_USAGE = 2,
	AS_ERR_NOT_ROOT = 3,
	AS_ERR_NO_BTF = 4,
	AS_ERR_TRACEPOINT = 5,
	AS_ERR_BPF_LOAD = 6,
	AS_ERR_TARGET_GONE = 7,
	AS_ERR_COMMAND_NOT_FOUND = 8,
	AS_ERR_SOCKET_IN_USE = 9,
	AS_ERR_SOCKET = 10,
	AS_ERR_NO_CLIENT = 11,
	AS_ERR_PERMISSION = 12, /* client may not trace that pid */
	AS_ERR_INTERNAL = 13,
};

struct as_error_frame {
	__u32 code;          /* enum as_error_code */
	__u16 primary_len;
	__u16 secondary_len;
	/* char primary[primary_len]; char secondary[secondary_len]; */
};

struct as_stats {
	__u64 events_sent;
	__u64 bytes_sent;
	__u64 lost_ring[AS_SRC_COUNT];  /* cumulative kernel ring drops per source */
	__u64 lost_queue;               /* cumulative drops in the helper's client queue */
	__u64 tls_truncated_bytes;      /* cumulative bytes beyond the per-call cap */
	__u32 tracked_processes;
	__u32 attached_uprobes;
};

#endif /* AGENTSIGHT_PROTOCOL_H */
