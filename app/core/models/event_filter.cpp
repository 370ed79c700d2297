// SPDX-License-Identifier: GPL-2.0-or-later
#include "models/event_filter.h"

#include "wire/event.h"

namespace agentsight::models {

namespace {

QStringList splitTerms(const QString &text)
{
    QStringList out;
    QString cur;
    bool quoted = false;
    bool any = false;
    for (QChar c : text) {
        if (c == QLatin1Char('"')) {
            quoted = !quoted;
            any = true;
        } else if (c.isSpace() && !quoted) {
            if (any || !cur.isEmpty())
                out << cur;
            cur.clear();
            any = false;
        } else {
            cur += c;
        }
    }
    if (any || !cur.isEmpty())
        out << cur;
    return out;
}

const char *sourceName(uint32_t source)
{
    switch (source) {
    case AS_SRC_PROC: return "proc";
    case AS_SRC_FILE: return "file";
    case AS_SRC_NET: return "net";
    case AS_SRC_TLS: return "tls";
    case AS_SRC_HELPER: return "helper";
    default: return "";
    }
}

bool typeMatches(uint16_t type, const QString &value)
{
    return QLatin1String(wire::eventTypeName(type)) == value ||
        QLatin1String(sourceName(wire::eventSource(type))) == value;
}

bool termMatches(const EventFilter::Term &t, uint32_t tgid, uint16_t type, const QString &detail)
{
    switch (t.key) {
    case EventFilter::Term::Key::Pid: return tgid == t.number;
    case EventFilter::Term::Key::Type: return typeMatches(type, t.value);
    case EventFilter::Term::Key::Path: return detail.contains(t.value, Qt::CaseInsensitive);
    case EventFilter::Term::Key::Text:
        return detail.contains(t.value, Qt::CaseInsensitive) ||
            QString::fromLatin1(wire::eventTypeName(type)).contains(t.value, Qt::CaseInsensitive);
    }
    return false;
}

} // namespace

EventFilter parseEventFilter(const QString &text)
{
    EventFilter f;
    for (QString word : splitTerms(text)) {
        EventFilter::Term t;
        if (word.size() > 1 && word.startsWith(QLatin1Char('-'))) {
            t.negated = true;
            word.remove(0, 1);
        }
        const qsizetype colon = word.indexOf(QLatin1Char(':'));
        const QString key = colon > 0 ? word.left(colon).toLower() : QString();
        const QString value = colon > 0 ? word.mid(colon + 1) : word;
        if (colon > 0 && key == QLatin1String("pid")) {
            bool ok = false;
            const uint v = value.toUInt(&ok);
            if (!ok) {
                f.errors << QStringLiteral("pid needs a number: \"%1\"").arg(value);
                continue;
            }
            t.key = EventFilter::Term::Key::Pid;
            t.number = v;
        } else if (colon > 0 && key == QLatin1String("type")) {
            t.key = EventFilter::Term::Key::Type;
            t.value = value.toLower();
        } else if (colon > 0 && (key == QLatin1String("path") || key == QLatin1String("comm"))) {
            t.key = EventFilter::Term::Key::Path;
            t.value = value;
        } else if (colon > 0 && !key.contains(QLatin1Char('/')) && !value.startsWith(QLatin1String("//"))) {
            // "https://x" and "/a:b" stay text; any other word before ':' is a key we do not know.
            f.errors << QStringLiteral("unknown filter key \"%1\" (known: pid, type, path, comm)").arg(key);
            continue;
        } else {
            t.key = EventFilter::Term::Key::Text;
            t.value = word;
        }
        if (t.key != EventFilter::Term::Key::Pid && t.value.isEmpty()) {
            f.errors << QStringLiteral("empty value for \"%1\"").arg(key);
            continue;
        }
        f.terms.push_back(t);
    }
    return f;
}

bool EventFilter::matches(uint32_t tgid, uint16_t type, std::string_view detailBytes) const
{
    if (terms.empty())
        return true;
    // Same key: OR of the positive terms; different keys: AND; negated terms must all fail;
    // free-text words must all be present. Numeric keys are decided first, so most rows of
    // a pid/type filter never have their text converted (1 M rows: the difference is ~5x).
    bool sawKey[4] = {};
    bool okKey[4] = {};
    bool needText = false;
    const QString none;
    for (const Term &t : terms) {
        if (t.key == Term::Key::Path || t.key == Term::Key::Text) {
            needText = true;
            continue;
        }
        const bool m = termMatches(t, tgid, type, none);
        if (t.negated) {
            if (m)
                return false;
            continue;
        }
        sawKey[int(t.key)] = true;
        okKey[int(t.key)] = okKey[int(t.key)] || m;
    }
    for (Term::Key k : {Term::Key::Pid, Term::Key::Type})
        if (sawKey[int(k)] && !okKey[int(k)])
            return false;
    if (!needText)
        return true;
    const QString detail = QString::fromUtf8(detailBytes.data(), qsizetype(detailBytes.size()));
    for (const Term &t : terms) {
        if (t.key != Term::Key::Path && t.key != Term::Key::Text)
            continue;
        const bool m = termMatches(t, tgid, type, detail);
        if (t.negated) {
            if (m)
                return false;
            continue;
        }
        if (t.key == Term::Key::Text) {
            if (!m)
                return false;
            continue;
        }
        sawKey[int(t.key)] = true;
        okKey[int(t.key)] = okKey[int(t.key)] || m;
    }
    return !(sawKey[int(Term::Key::Path)] && !okKey[int(Term::Key::Path)]);
}

} // namespace agentsight::models
