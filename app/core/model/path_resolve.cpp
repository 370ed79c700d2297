// SPDX-License-Identifier: GPL-2.0-or-later
#include "path_resolve.h"

#include <vector>

namespace agentsight::model {

std::string normalizePath(std::string_view p)
{
    std::vector<std::string_view> parts;
    size_t i = 0;
    while (i < p.size()) {
        size_t j = p.find('/', i);
        if (j == std::string_view::npos)
            j = p.size();
        std::string_view part = p.substr(i, j - i);
        if (part == "..") {
            if (!parts.empty())
                parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        i = j + 1;
    }
    std::string out;
    for (auto part : parts) {
        out += '/';
        out += part;
    }
    return out.empty() ? std::string("/") : out;
}

std::string resolvePath(std::string_view base, std::string_view raw)
{
    if (!raw.empty() && raw.front() == '/')
        return normalizePath(raw);
    if (base.empty() || base.front() != '/')
        return std::string(raw);
    std::string joined(base);
    joined += '/';
    joined += raw;
    return normalizePath(joined);
}

} // namespace agentsight::model
