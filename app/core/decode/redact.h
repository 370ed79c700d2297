// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Secret redaction applied to every exchange BEFORE it leaves the
 * decoders (on by default; DecodeLimits::redactSecrets turns it off for
 * tests). Also used by the LLM layer for secrets inside JSON bodies.
 *
 * What is a secret: the values of Authorization, Proxy-Authorization,
 * X-Api-Key, X-Goog-Api-Key, Api-Key, Cookie, Set-Cookie; and URL query
 * parameters named key, api_key, apikey, access_token, token, sig, signature.
 * A redacted value keeps only what identifies the kind of credential: the
 * auth scheme ("Bearer ") and a well-known public key prefix ("sk-ant-",
 * "sk-proj-", "sk-", "AIza", ...), never more than 8 characters of the secret.
 */
#include "decode/http_exchange.h"

#include <string>
#include <string_view>

namespace agentsight::decode {

inline constexpr std::string_view kRedactedMark = "[redacted]";

/// Header (lower-case name) whose value is a credential.
bool isSecretHeader(std::string_view lowerName);
/// Query parameter or JSON key (any case) that carries a credential.
bool isSecretParam(std::string_view name);
/// "Bearer sk-ant-api03-XYZ" -> "Bearer sk-ant-…[redacted]"; "" stays "".
std::string redactSecret(std::string_view value);
/// Redacts the values of secret query parameters in "/path?x=1&key=SECRET".
std::string redactTarget(std::string_view target);
/// Headers, trailers and target of one message, in place.
void redactMessage(HttpMessage &msg);

} // namespace agentsight::decode
