// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Pipeline objects -> recording rows. Pure functions, used by the
 * writer (live) and by tests.
 */
#include "decode/http_exchange.h"
#include "llm/llm_exchange.h"
#include "store/recording_rows.h"
#include "wire/event.h"

#include <optional>
#include <string_view>

#include <QJsonObject>

namespace agentsight::store {

/// Bytes of each HTTP body kept in http_exchanges.detail. Why a cap: the LLM
/// detail already holds the decoded conversation, and the raw records keep
/// every byte for a replay; this copy is for browsing plain HTTP.
constexpr size_t kStoredBodyBytes = 256 * 1024;

EventRow eventRow(const wire::Event &e, std::string_view raw);
/// fork (not thread), exec and process exit make process rows; others nullopt.
std::optional<ProcessRow> processRow(const wire::Event &e);
HttpRow httpRow(const decode::HttpExchange &x);
LlmRow llmRow(const llm::LlmExchange &x, const decode::HttpExchange &source);
/// JSON of one HTTP exchange (headers, sizes, capped bodies, SSE/WS counts, errors).
QJsonObject httpExchangeJson(const decode::HttpExchange &x);

} // namespace agentsight::store
