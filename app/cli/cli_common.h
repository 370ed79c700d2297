// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief What every `agentsight` subcommand shares: its argument list and the
 * usage-error convention (message + usage on stderr, exit code 2).
 */
#include <string>
#include <vector>

namespace agentsight::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

using Args = std::vector<std::string>;

/// Prints "agentsight: <message>" and the usage text to stderr; returns kExitUsage.
int usageError(const std::string &message);
std::string usageText();

int runRecord(const Args &args);
int runReport(const Args &args);
int runExport(const Args &args);
int runImport(const Args &args);
int runReplay(const Args &args);

} // namespace agentsight::cli
