// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/**
 * @brief The process model: capture records in, a pid-reuse-safe process
 * tree, agent sessions and normalised actions out.
 *
 * Identity is (tgid, start time), as in Tetragon: a fork or exec whose start
 * differs from the live holder of that pid ends the old process (pid reuse).
 * Snapshot records (AS_F_SNAPSHOT) carry /proc start times with 10 ms
 * precision and match live start times within that tolerance.
 *
 * Records for a pid whose fork/exec has not arrived yet (the proc, file and
 * net collectors use separate rings, so the helper can deliver a child's
 * open before the parent's fork) are parked and replayed when the process
 * appears; records stamped before their process's exit but delivered after
 * it go to that exited process; after ModelLimits::parkTimeoutNs of event time the pid gets a
 * placeholder process outside any agent (counted in Stats).
 *
 * Deterministic: the same records in the same order give the same ids,
 * actions and tree; no wall clock is read (time = the records' ktime).
 */
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "action.h"
#include "agent_session.h"
#include "model_limits.h"
#include "process.h"
#include "wire/event.h"

namespace agentsight::model {

class ProcessTree
{
public:
    using ActionSink = std::function<void(Action &&)>;

    struct Stats {
        uint64_t events = 0;
        uint64_t processes = 0;        ///< ever created
        uint64_t evicted = 0;          ///< exited processes dropped by maxProcesses
        uint64_t pidReuse = 0;         ///< live process ended by a new holder of its pid
        uint64_t threadForks = 0;
        uint64_t parked = 0;           ///< events that waited for their process
        uint64_t parkedReleased = 0;   ///< ... and were attached when it appeared
        uint64_t parkedDropped = 0;    ///< ... dropped: park caps full
        uint64_t placeholders = 0;     ///< pids whose fork/exec never came
        uint64_t staleExits = 0;       ///< exit records for an older holder of a pid
        uint64_t dnsUndecodable = 0;
        uint64_t agentsForgotten = 0;  ///< ended agents dropped by maxAgents
        uint64_t lost[AS_SRC_COUNT] = {}; ///< AS_EV_LOST counts per source (collector drops)
    };

    explicit ProcessTree(ModelLimits limits = {});

    /// Called synchronously for every action, in a deterministic order.
    void setActionSink(ActionSink sink) { m_sink = std::move(sink); }

    void onEvent(const wire::Event &ev);
    /// End of stream: every parked pid gets its placeholder now.
    void flushParked();

    /// Latest record ktime seen: the model's (and correlator's) clock.
    uint64_t watermarkNs() const { return m_watermark; }

    const Process *process(uint64_t id) const;
    /// The process holding tgid now (possibly exited, until a new holder appears); 0 none.
    uint64_t currentId(uint32_t tgid) const;
    /// currentId, or a new placeholder agent root when the pid was never seen
    /// (an LLM call from a process whose start we missed still needs an agent).
    uint64_t ensureProcess(uint32_t tgid, uint64_t ktimeNs);
    /// True when `id` is `ancestor` or below it (walks parent ids; evicted links stop the walk).
    bool isDescendant(uint64_t id, uint64_t ancestor) const;
    std::vector<uint64_t> lineage(uint64_t id) const;

    const AgentSession *agent(uint32_t id) const;
    std::vector<uint32_t> agentIds() const; ///< ascending
    void addConversationEntry(uint32_t agentId, ConversationEntry entry);

    /// All known (not evicted) processes, ascending id.
    std::vector<uint64_t> processIds() const;
    const Stats &stats() const { return m_stats; }
    const ModelLimits &limits() const { return m_limits; }

private:
    Process *live(uint32_t tgid);
    /// The exited holder of tgid when ktimeNs is not after its exit, else null.
    Process *exitedAt(uint32_t tgid, uint64_t ktimeNs);
    Process &create(uint32_t tgid, uint64_t startNs, bool approx, uint64_t ktimeNs, Process *parent);
    void startAgent(Process &root);
    bool sameStart(const Process &p, uint64_t startNs, bool approx) const;
    void endByReuse(Process &p, uint64_t ktimeNs);
    void markExited(Process &p, uint64_t ktimeNs);
    void evict();

    void onExec(const wire::Event &ev);
    void onFork(const wire::Event &ev);
    void apply(Process &p, const wire::Event &ev);
    void onExit(Process &p, const wire::Event &ev);
    void onOpen(Process &p, const wire::Event &ev);
    void onFileOp(Process &p, const wire::Event &ev);
    void onConnect(Process &p, const wire::Event &ev);
    void onDns(Process &p, const wire::Event &ev);

    void park(const wire::Event &ev);
    void release(uint32_t tgid);
    void expireParked();

    Action makeAction(const Process &p, ActionKind kind, uint64_t ktimeNs);
    void publish(Action &&a);
    void addFile(Process &p, const wire::Event &ev, const std::string &path, const std::string &path2);
    std::string dirPath(const Process &p, int32_t dirfd) const;

    ModelLimits m_limits;
    ActionSink m_sink;
    Stats m_stats;
    uint64_t m_watermark = 0;
    uint64_t m_nextProcessId = 1;
    uint64_t m_nextActionId = 1;
    uint32_t m_nextAgentId = 1;

    std::unordered_map<uint64_t, Process> m_procs;
    std::unordered_map<uint32_t, uint64_t> m_byTgid;
    std::deque<uint64_t> m_exitedOrder;
    std::map<uint32_t, AgentSession> m_agents;
    std::deque<uint32_t> m_endedAgents;
    std::unordered_map<uint32_t, std::string> m_targetNames; ///< AS_EV_TARGET names by pid

    std::unordered_map<uint32_t, std::deque<wire::Event>> m_parked;
    std::deque<std::pair<uint32_t, uint64_t>> m_parkOrder; ///< (tgid, ktime) in arrival order
    std::size_t m_parkedTotal = 0;
};

} // namespace agentsight::model
