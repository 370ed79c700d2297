// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief List prices per model, loaded from JSON (resources/prices.json, format
 * in resources/README.md), so a price change is a data change, not a rebuild.
 *
 * Patterns: an exact model id, or a prefix ending in '*'. Lookup order: exact
 * id, then the longest matching prefix; among equal patterns the one loaded
 * last wins, so a user file loaded after the built-in list overrides it.
 * An unknown model has no price: cost() returns empty, never 0.
 *
 * Limits: one flat price per token kind; tiered prices (e.g. long-context
 * surcharges above 200k prompt tokens) and batch discounts are not modelled.
 */
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <QString>

#include "llm_exchange.h"

namespace agentsight::llm {

struct ModelPrice {
    std::string pattern;     ///< "gpt-4o" (exact) or "claude-sonnet-4-5*" (prefix)
    double input = 0;        ///< USD per million uncached input tokens
    double output = 0;       ///< USD per million output tokens (reasoning included)
    double cacheRead = 0;    ///< USD per million tokens read from the prompt cache
    double cacheWrite = 0;   ///< USD per million tokens written to the prompt cache
};

class PriceTable
{
public:
    /** Replace/extend with entries from a JSON document; false + reason when invalid. */
    bool loadJson(const QByteArray &json, QString *error);
    bool loadFile(const QString &path, QString *error);

    /**
     * The shipped list, then the file named by $AGENTSIGHT_PRICES (if set),
     * then overridePath (if not empty). Errors of either file are reported but
     * do not empty the table.
     */
    static PriceTable standard(const QString &overridePath = {}, QString *error = nullptr);
    static QString builtInPath();

    /** Price for a model id ("models/" prefixes are ignored); nullptr when unknown. */
    const ModelPrice *find(std::string_view model) const;
    /** Cost in USD; empty when the model is unknown or the usage has no token counts. */
    std::optional<double> cost(std::string_view model, const TokenUsage &usage) const;

    QString asOf() const { return m_asOf; }
    std::size_t size() const { return m_entries.size(); }

private:
    std::vector<ModelPrice> m_entries; ///< in load order
    QString m_asOf;
};

} // namespace agentsight::llm
