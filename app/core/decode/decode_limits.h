// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Caps that keep decoding of untrusted bytes bounded in memory and CPU,
 * and the counters that make every drop visible.
 */
#include <cstddef>
#include <cstdint>

namespace agentsight::decode {

struct DecodeLimits {
    /// Decoded body bytes kept per message; beyond it bodyTruncated is set.
    size_t maxBodyBytes = size_t(64) << 20;
    /// Decompression stops once this many decoded bytes were produced for one
    /// message (a bomb costs CPU, not memory); decodedBodyBytes is then a lower
    /// bound and decodeError says so. Must be >= maxBodyBytes.
    uint64_t maxDecodedCount = uint64_t(1) << 30;
    /// HTTP/1 start line + header section, and one HTTP/2 decoded header list.
    size_t maxHeaderBytes = size_t(64) << 10;
    size_t maxHeaderCount = 256;
    /// One start line, header line, chunk-size line or trailer line.
    size_t maxLineBytes = size_t(16) << 10;
    /// HTTP/1 requests waiting for their response (pipelining) per connection.
    size_t maxPendingRequests = 64;
    /// Concurrently open HTTP/2 streams per connection.
    size_t maxH2Streams = 256;
    /// Largest non-DATA HTTP/2 frame payload buffered (HEADERS, SETTINGS ...).
    size_t maxH2FrameBytes = size_t(256) << 10;
    /// One SSE event's data (longer data is cut, counted in sseEventsTruncated).
    size_t maxSseEventBytes = size_t(4) << 20;
    /// SSE events kept per message (more are counted in sseEventsDropped).
    size_t maxSseEvents = 200000;
    /// One WebSocket message's kept payload, and messages kept per exchange.
    size_t maxWsMessageBytes = size_t(4) << 20;
    size_t maxWsMessages = 100000;
    /// Bytes held while sniffing the protocol of a new connection.
    size_t maxSniffBytes = 4096;
    /// Connections tracked at once; the least recently active one is closed.
    size_t maxConnections = 4096;
    /// Keep bodies whose content-type is not text-like (images, protobuf...).
    bool keepBinaryBodies = true;
    /// Redact credentials (decode/redact.h) before exchanges reach the sink.
    /// Off only in tests that need the raw values.
    bool redactSecrets = true;
};

/** Totals over the decoder's lifetime; every drop or give-up is counted here. */
struct DecodeStats {
    uint64_t chunks = 0;
    uint64_t bytes = 0;
    uint64_t gapBytes = 0;            ///< plaintext bytes known lost (dropped / missing records)
    uint64_t overlapBytes = 0;        ///< duplicated bytes ignored
    uint64_t connections = 0;
    uint64_t connectionsEvicted = 0;  ///< closed early because of maxConnections
    uint64_t connectionsUnknown = 0;  ///< neither HTTP/1 nor HTTP/2 (or began mid-stream)
    uint64_t h2Desync = 0;            ///< HTTP/2 connections whose HPACK state was lost
    uint64_t exchanges = 0;
    uint64_t exchangeErrors = 0;
    uint64_t ignoredBytes = 0;        ///< bytes not decoded (unknown protocol, resync, upgraded)
    uint64_t bodiesTruncated = 0;
    uint64_t pendingOverflow = 0;     ///< requests given up because of maxPendingRequests
    uint64_t streamsRefused = 0;      ///< HTTP/2 streams beyond maxH2Streams
};

} // namespace agentsight::decode
