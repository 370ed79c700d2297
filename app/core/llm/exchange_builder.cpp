// SPDX-License-Identifier: GPL-2.0-or-later
#include "exchange_builder.h"
#include "json_fields.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace agentsight::llm {

namespace {

/** Largest n <= limit that does not split a UTF-8 sequence of s. */
std::size_t utf8Cut(const char *s, std::size_t size, std::size_t limit)
{
    if (limit >= size)
        return size;
    std::size_t n = limit;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    return n;
}

} // namespace

ExchangeBuilder::ExchangeBuilder(LlmExchange &exchange, const LlmLimits &limits)
    : m_ex(exchange)
    , m_limits(limits)
{
}

std::size_t ExchangeBuilder::budgetFor(std::size_t wanted, std::size_t already)
{
    std::size_t allowed = already >= m_limits.maxFieldBytes ? 0 : m_limits.maxFieldBytes - already;
    const std::size_t total = m_textBytes >= m_limits.maxTotalTextBytes ? 0 : m_limits.maxTotalTextBytes - m_textBytes;
    if (total < allowed)
        allowed = total;
    return wanted < allowed ? wanted : allowed;
}

void ExchangeBuilder::markTruncated(const std::string *field)
{
    // Counted per field, not per delta: a capped stream keeps sending deltas.
    if (field == nullptr || m_truncated.insert(field).second)
        ++m_ex.truncatedFields;
}

std::string ExchangeBuilder::keep(const QString &s)
{
    if (s.isEmpty())
        return {};
    const QByteArray utf8 = s.toUtf8();
    const std::size_t size = static_cast<std::size_t>(utf8.size());
    const std::size_t n = utf8Cut(utf8.constData(), size, budgetFor(size, 0));
    if (n < size)
        markTruncated(nullptr);
    m_textBytes += n;
    return std::string(utf8.constData(), n);
}

std::string ExchangeBuilder::keepJson(const QJsonObject &o)
{
    if (o.isEmpty())
        return {};
    const QByteArray compact = QJsonDocument(o).toJson(QJsonDocument::Compact);
    return keep(QString::fromUtf8(compact));
}

void ExchangeBuilder::append(std::string &dst, const QString &delta)
{
    if (delta.isEmpty())
        return;
    const QByteArray utf8 = delta.toUtf8();
    const std::size_t size = static_cast<std::size_t>(utf8.size());
    const std::size_t n = utf8Cut(utf8.constData(), size, budgetFor(size, dst.size()));
    if (n < size)
        markTruncated(&dst);
    dst.append(utf8.constData(), n);
    m_textBytes += n;
}

void ExchangeBuilder::appendJoined(std::string &dst, const QString &piece, const char *separator)
{
    if (piece.isEmpty())
        return;
    if (!dst.empty())
        append(dst, QString::fromUtf8(separator));
    append(dst, piece);
}

bool ExchangeBuilder::room(std::size_t size, std::size_t cap, const char *what)
{
    if (size < cap)
        return true;
    ++m_ex.droppedItems;
    if (m_droppedKinds.insert(what).second)
        warn(std::string("more than ") + std::to_string(cap) + " " + what + "; the rest were dropped");
    return false;
}

void ExchangeBuilder::sawContent(uint64_t ktimeNs)
{
    if (m_ex.timing.firstTokenNs == 0)
        m_ex.timing.firstTokenNs = ktimeNs;
}

void ExchangeBuilder::dropEvent(const char *why)
{
    ++m_ex.droppedItems;
    if (m_droppedKinds.insert(why).second)
        warn(std::string("dropped: ") + why);
}

std::optional<QJsonObject> ExchangeBuilder::eventObject(const decode::SseEvent &event)
{
    QJsonDocument doc;
    QString err;
    if (!json::parse(event.data.data(), event.data.size(), &doc, &err) || !doc.isObject()) {
        dropEvent("stream event whose data is not a JSON object");
        return std::nullopt;
    }
    return doc.object();
}

void ExchangeBuilder::addToolCall(const QString &id, const QString &name, const std::string &raw)
{
    if (!room(m_ex.toolCalls.size(), m_limits.maxToolCalls, "tool calls"))
        return;
    ToolCall call;
    call.id = keep(id);
    call.name = keep(name);
    call.argumentsRaw = raw; // already capped by the caller's append()/keep()
    if (wasTruncated(raw)) {
        call.argumentsError = "arguments truncated at " + std::to_string(raw.size()) + " bytes";
    } else if (raw.find_first_not_of(" \t\r\n") == std::string::npos) {
        // No argument bytes at all: a call without parameters.
    } else {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(raw.data(), qsizetype(raw.size())), &pe);
        if (pe.error != QJsonParseError::NoError)
            call.argumentsError = "invalid JSON arguments at offset " + std::to_string(pe.offset) + ": "
                + pe.errorString().toStdString();
        else if (!doc.isObject())
            call.argumentsError = "arguments are not a JSON object";
        else
            call.arguments = doc.object();
    }
    m_ex.toolCalls.push_back(std::move(call));
}

void ExchangeBuilder::addToolCall(const QString &id, const QString &name, const QJsonObject &arguments)
{
    if (!room(m_ex.toolCalls.size(), m_limits.maxToolCalls, "tool calls"))
        return;
    ToolCall call;
    call.id = keep(id);
    call.name = keep(name);
    call.argumentsRaw = keepJson(arguments);
    call.arguments = arguments;
    m_ex.toolCalls.push_back(std::move(call));
}

void ExchangeBuilder::setError(const ApiError &error)
{
    ApiError capped;
    capped.type = keep(QString::fromStdString(error.type));
    capped.message = keep(QString::fromStdString(error.message));
    m_ex.error = std::move(capped);
}

void ExchangeBuilder::warn(const std::string &message)
{
    if (m_ex.warnings.size() < m_limits.maxWarnings) {
        m_ex.warnings.push_back(message.size() > 512 ? message.substr(0, 512) : message);
    } else if (m_ex.warnings.size() == m_limits.maxWarnings) {
        m_ex.warnings.push_back("further warnings suppressed");
    }
}

} // namespace agentsight::llm
