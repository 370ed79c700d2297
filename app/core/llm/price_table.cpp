// SPDX-License-Identifier: GPL-2.0-or-later
#include "price_table.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace agentsight::llm {

namespace {

bool readPrice(const QJsonObject &o, const char *key, double *out, bool required, QString *error)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        if (required) {
            *error = QStringLiteral("missing \"%1\"").arg(QLatin1String(key));
            return false;
        }
        return true;
    }
    if (!v.isDouble() || v.toDouble() < 0) {
        *error = QStringLiteral("\"%1\" must be a non-negative number").arg(QLatin1String(key));
        return false;
    }
    *out = v.toDouble();
    return true;
}

} // namespace

bool PriceTable::loadJson(const QByteArray &json, QString *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("price list is not a JSON object: %1").arg(pe.errorString());
        return false;
    }
    const QJsonObject root = doc.object();
    const QJsonValue models = root.value(QLatin1String("models"));
    if (!models.isArray()) {
        *error = QStringLiteral("price list has no \"models\" array");
        return false;
    }
    // Validate everything first so a bad file never leaves a half-loaded table.
    std::vector<ModelPrice> loaded;
    int index = 0;
    for (const QJsonValue &v : models.toArray()) {
        const QJsonObject o = v.toObject();
        ModelPrice p;
        p.pattern = o.value(QLatin1String("match")).toString().toStdString();
        QString why;
        if (p.pattern.empty() || p.pattern == "*")
            why = QStringLiteral("missing or empty \"match\"");
        else if (readPrice(o, "input", &p.input, true, &why) && readPrice(o, "output", &p.output, true, &why)) {
            // Cache prices default to the input price: never free by accident.
            p.cacheRead = p.input;
            p.cacheWrite = p.input;
            if (readPrice(o, "cache_read", &p.cacheRead, false, &why))
                readPrice(o, "cache_write", &p.cacheWrite, false, &why);
        }
        if (!why.isEmpty()) {
            *error = QStringLiteral("models[%1]: %2").arg(index).arg(why);
            return false;
        }
        loaded.push_back(std::move(p));
        ++index;
    }
    m_entries.insert(m_entries.end(), loaded.begin(), loaded.end());
    const QString asOf = root.value(QLatin1String("as_of")).toString();
    if (!asOf.isEmpty())
        m_asOf = asOf;
    return true;
}

bool PriceTable::loadFile(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    // A price list is small; refuse anything absurd rather than read it all.
    if (f.size() > (4 << 20)) {
        *error = QStringLiteral("%1: larger than 4 MiB").arg(path);
        return false;
    }
    if (!loadJson(f.readAll(), error)) {
        *error = path + QStringLiteral(": ") + *error;
        return false;
    }
    return true;
}

QString PriceTable::builtInPath()
{
    return QStringLiteral(AGENTSIGHT_RESOURCES_DIR "/prices.json");
}

PriceTable PriceTable::standard(const QString &overridePath, QString *error)
{
    PriceTable t;
    QStringList errors;
    QString err;
    if (!t.loadFile(builtInPath(), &err))
        errors << err;
    const QString env = qEnvironmentVariable("AGENTSIGHT_PRICES");
    if (!env.isEmpty() && !t.loadFile(env, &err))
        errors << err;
    if (!overridePath.isEmpty() && !t.loadFile(overridePath, &err))
        errors << err;
    if (error)
        *error = errors.join(QStringLiteral("; "));
    return t;
}

const ModelPrice *PriceTable::find(std::string_view model) const
{
    if (model.substr(0, 7) == "models/")
        model.remove_prefix(7); // Gemini spells ids "models/gemini-2.5-pro"
    if (model.empty())
        return nullptr;
    const ModelPrice *best = nullptr;
    std::size_t bestLen = 0;
    bool bestExact = false;
    for (const ModelPrice &p : m_entries) {
        const std::string_view pat(p.pattern);
        if (pat.back() == '*') {
            const std::string_view prefix = pat.substr(0, pat.size() - 1);
            if (bestExact || model.substr(0, prefix.size()) != prefix || prefix.size() < bestLen)
                continue;
            best = &p; // >= : later entries win ties
            bestLen = prefix.size();
        } else if (pat == model) {
            best = &p;
            bestExact = true;
        }
    }
    return best;
}

std::optional<double> PriceTable::cost(std::string_view model, const TokenUsage &u) const
{
    const ModelPrice *p = find(model);
    if (p == nullptr || (u.input < 0 && u.output < 0))
        return std::nullopt;
    const double cacheRead = u.cacheRead > 0 ? double(u.cacheRead) : 0.0;
    const double cacheWrite = u.cacheWrite > 0 ? double(u.cacheWrite) : 0.0;
    double uncached = u.input > 0 ? double(u.input) - cacheRead - cacheWrite : 0.0;
    if (uncached < 0)
        uncached = 0; // inconsistent counts from a server: do not bill negative
    const double output = u.output > 0 ? double(u.output) : 0.0;
    return (uncached * p->input + cacheRead * p->cacheRead + cacheWrite * p->cacheWrite + output * p->output) / 1e6;
}

} // namespace agentsight::llm
