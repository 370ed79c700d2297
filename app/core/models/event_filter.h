// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The events table's filter language, as a pure function:
 *   `pid:123 type:file path:/etc curl`
 * Terms are separated by spaces; "double quotes" keep spaces in a value.
 *   pid:N       process id (tgid)           type:T  record type name ("open",
 *   path:S      detail contains S             "exec"...) or source ("proc",
 *   comm:S      alias of path: (detail text)  "file", "net", "tls", "helper")
 *   plain text  detail or type name contains it (case-insensitive)
 * A leading '-' negates a term. The same key given twice means "either"
 * (pid:1 pid:2), different keys must all hold. Unknown keys and bad numbers
 * are reported in errors and ignored, never silently reinterpreted.
 */
#include <cstdint>
#include <string_view>
#include <vector>

#include <QString>
#include <QStringList>

namespace agentsight::models {

struct EventFilter {
    struct Term {
        enum class Key { Pid, Type, Path, Text };
        Key key = Key::Text;
        QString value;        ///< lower-cased for text keys
        uint32_t number = 0;  ///< Pid
        bool negated = false;
    };
    std::vector<Term> terms;
    QStringList errors;

    bool isEmpty() const { return terms.empty(); }
    /// Does a record with these fields pass? detail is UTF-8 (invalid bytes compare as replacement chars).
    bool matches(uint32_t tgid, uint16_t type, std::string_view detail) const;
};

EventFilter parseEventFilter(const QString &text);

} // namespace agentsight::models
