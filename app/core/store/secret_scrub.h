// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Removes credentials from TLS plaintext before it is written to a
 * recording, keeping every byte position: each secret character becomes '*',
 * so call lengths, chunk offsets and a replay's HTTP framing are unchanged and
 * the replayed exchanges equal the live ones (whose headers decode/redact.h
 * already redacted the same way).
 *
 * Scrubbed: values of the headers decode::isSecretHeader names, in HTTP/1.x
 * "Name: value" lines, and secret query parameters (decode::isSecretParam) in
 * request lines — beyond the public prefix decode::redactSecret keeps.
 * Limits: HTTP/2 headers are HPACK-coded and not scrubbed; a header line cut
 * across two TLS records is scrubbed only in the part holding the name.
 */
#include <cstddef>
#include <string>

namespace agentsight::store {

/// Scrubs bytes[from, end) in place; returns how many values were scrubbed.
size_t scrubHttpSecrets(std::string &bytes, size_t from = 0);

} // namespace agentsight::store
