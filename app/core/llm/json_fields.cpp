// SPDX-License-Identifier: GPL-2.0-or-later
#include "json_fields.h"

#include <QByteArray>
#include <QJsonParseError>

namespace agentsight::llm::json {

QString str(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    return v.isString() ? v.toString() : QString();
}

QJsonObject obj(const QJsonObject &o, QLatin1String key)
{
    return o.value(key).toObject();
}

QJsonArray arr(const QJsonObject &o, QLatin1String key)
{
    return o.value(key).toArray();
}

int64_t count(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return -1;
    const double d = v.toDouble();
    // Token counts beyond 2^53 are not real; refuse them rather than overflow.
    if (!(d >= 0.0) || d > 9007199254740992.0)
        return -1;
    return static_cast<int64_t>(d);
}

bool flag(const QJsonObject &o, QLatin1String key, bool fallback)
{
    const QJsonValue v = o.value(key);
    return v.isBool() ? v.toBool() : fallback;
}

bool parse(const char *data, std::size_t size, QJsonDocument *doc, QString *error)
{
    if (size > static_cast<std::size_t>(INT32_MAX)) {
        *error = QStringLiteral("body too large to parse");
        return false;
    }
    // fromRawData: no copy; the document copies what it keeps.
    const QByteArray bytes = QByteArray::fromRawData(data, static_cast<qsizetype>(size));
    QJsonParseError pe;
    *doc = QJsonDocument::fromJson(bytes, &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = QStringLiteral("invalid JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString());
        return false;
    }
    return true;
}

std::optional<ApiError> errorFrom(const QJsonObject &e)
{
    ApiError err;
    QString type = str(e, QLatin1String("type"));
    if (type.isEmpty())
        type = str(e, QLatin1String("status")); // Gemini: "RESOURCE_EXHAUSTED"
    if (type.isEmpty()) {
        const QJsonValue code = e.value(QLatin1String("code"));
        if (code.isString())
            type = code.toString();
        else if (code.isDouble())
            type = QString::number(code.toDouble(), 'g', 12);
    }
    const QString message = str(e, QLatin1String("message"));
    if (type.isEmpty() && message.isEmpty())
        return std::nullopt;
    err.type = type.toStdString();
    err.message = message.toStdString();
    return err;
}

} // namespace agentsight::llm::json
