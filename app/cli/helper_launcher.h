// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief Finds and starts agentsight-helper for the CLI: directly when we are
 * root, otherwise through pkexec (or `sudo -n` when pkexec is missing), with
 * its socket in a private 0700 temp dir. The helper's stderr goes to a file
 * in that dir so it cannot garble the status line; its text is shown when it
 * fails.
 */
#include <string>
#include <sys/types.h>
#include <vector>

namespace agentsight::cli {

/// --helper, else $AGENTSIGHT_HELPER, else ../../helper/agentsight-helper
/// next to this binary (build tree), else the installed libexec dir. "" if none.
std::string findHelper(const std::string &explicitPath, std::string *error);

class HelperProcess {
public:
    HelperProcess() = default;
    ~HelperProcess();
    HelperProcess(const HelperProcess &) = delete;
    HelperProcess &operator=(const HelperProcess &) = delete;

    /// Starts helper with `--socket <tmp>/helper.sock` + args.
    bool start(const std::string &helper, const std::vector<std::string> &args, std::string *error);
    const std::string &socketPath() const { return m_socket; }
    pid_t pid() const { return m_pid; }
    /// How it was started: "direct", "pkexec", "sudo".
    const std::string &elevation() const { return m_elevation; }
    bool running();
    /// Waits up to timeoutMs; -1 while still running. Exit code, or 128+signal.
    int wait(int timeoutMs);
    /// The helper's stderr so far (capped).
    std::string log() const;

private:
    pid_t m_pid = -1;
    int m_status = -1;
    std::string m_dir;
    std::string m_socket;
    std::string m_logPath;
    std::string m_elevation;
};

} // namespace agentsight::cli
