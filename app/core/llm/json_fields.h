// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Type-tolerant reads of JSON fields. Bodies are untrusted: a field may
 * be missing, null, or of the wrong type; these return "absent" values instead
 * of guessing, so a wrong type never becomes a made-up number.
 */
#include <cstdint>
#include <optional>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include "llm_exchange.h"

namespace agentsight::llm::json {

/** String field, or "" when missing / not a string. */
QString str(const QJsonObject &o, QLatin1String key);
/** Object field, or an empty object. */
QJsonObject obj(const QJsonObject &o, QLatin1String key);
/** Array field, or an empty array. */
QJsonArray arr(const QJsonObject &o, QLatin1String key);
/** Non-negative integer count, or -1 when missing / not a number / negative. */
int64_t count(const QJsonObject &o, QLatin1String key);
/** Bool field, or fallback. */
bool flag(const QJsonObject &o, QLatin1String key, bool fallback = false);

/** Parse a JSON document; false + reason on invalid JSON (Qt caps nesting at 1024). */
bool parse(const char *data, std::size_t size, QJsonDocument *doc, QString *error);

/**
 * The usual error object shapes: Anthropic {type, message}, OpenAI {type, code,
 * message}, Gemini {status, code, message}. Returns nothing when neither a type
 * nor a message is present.
 */
std::optional<ApiError> errorFrom(const QJsonObject &errorObject);

} // namespace agentsight::llm::json
